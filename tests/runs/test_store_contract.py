"""The RunStore contract, on MemoryStore and SqliteStore alike: same events in, same answers out."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

from bridge.runs import (
    Artifact,
    ArtifactQuery,
    ArtifactType,
    LogEntry,
    LogLevel,
    MemoryStore,
    Run,
    RunHistory,
    RunKind,
    RunQuery,
    RunStatus,
    RunStore,
    StepStatus,
    StopReason,
)
from bridge.runs.events import LogAdded, OutputAdded, RunEvent
from bridge.runs.model import new_id
from bridge.runs.sqlite import SqliteStore

from .conftest import FakeClock

DAY = 86400.0


def artifact(history: RunHistory, run_id: str, name: str, *, sha: str = "a" * 64, step_id: Optional[str] = None,
             kind: ArtifactType = ArtifactType.DATA, retention_days: int = 30) -> Artifact:
    return history.add_artifact(Artifact(
        id=new_id(), run_id=run_id, name=name, file_name=f"{name}.json", file_size=12, mime_type="application/json",
        sha256=sha, created_at=history.clock(), artifact_type=kind, step_id=step_id, tags=("t",),
        retention_days=retention_days,
    ))


def finished_run(history: RunHistory, clock: FakeClock, status: RunStatus = RunStatus.COMPLETED,
                 **create: Any) -> Run:
    run = history.create(RunKind.EDITOR, started=True, **create)
    clock.advance(1)
    return history.finish(run.id, status)


def scenario(history: RunHistory, clock: FakeClock) -> Dict[str, str]:
    """A bit of everything a history records; returns the ids of the runs worth naming."""
    ids: Dict[str, str] = {}
    editor = history.create(RunKind.EDITOR, name="editor", command="print('hi')", user="ana", tags=["nightly", "ui"],
                            metadata={"project": "demo", "n": [1, 2]}, session_id="repl-1", timeout=30.0,
                            working_directory="/work", environment={"A": "1"})
    ids["editor"] = editor.id
    clock.advance(0.5)
    history.start(editor.id)
    history.output(editor.id, "line one\nline ")
    history.output(editor.id, "two\n", stream="stderr")
    step = history.begin_step(editor.id, "Import", description="textures", estimated_duration=3.5, stop_on_error=True,
                              metadata={"count": 3})
    history.log(editor.id, LogLevel.WARNING, "inside the step")
    artifact(history, editor.id, "report", step_id=step.id, kind=ArtifactType.DOCUMENT)
    clock.advance(2)
    history.end_step(editor.id, step.id, StepStatus.COMPLETED)
    history.progress(editor.id, 0.5)
    history.begin_step(editor.id, "Left open")
    history.output(editor.id, "unterminated tail")
    clock.advance(1)
    history.finish(editor.id, RunStatus.COMPLETED, result={"value": 42, "items": ["a", None]}, exit_code=0)
    for n in range(7):  # a page's worth of varied runs
        clock.advance(1)
        kind = (RunKind.SCRIPT, RunKind.TRACE, RunKind.SANDBOX, RunKind.COMMAND)[n % 4]
        status = (RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED)[n % 3]
        run = history.create(kind, user="bo" if n % 2 else "ana", tags=["nightly"] if n % 3 == 0 else [],
                             session_id="repl-1" if n == 4 else None, command=f"run {n}", started=n % 2 == 0)
        history.output(run.id, f"out {n}\n")
        history.log(run.id, LogLevel.ERROR, f"log {n}")
        if n == 3:
            artifact(history, run.id, "plot", sha="b" * 64, kind=ArtifactType.IMAGE, retention_days=1)
        history.finish(run.id, status, stop_reason=StopReason.CANCEL if status is RunStatus.CANCELLED else None,
                       error_message="boom" if status is RunStatus.FAILED else None, error_type="ValueError",
                       traceback="Traceback...", duration_ms=12.5)
    clock.advance(1)
    gone = finished_run(history, clock, tags=["nightly"])
    artifact(history, gone.id, "gone", sha="c" * 64)
    history.delete(gone.id)
    late = finished_run(history, clock, user="cy")
    artifact(history, late.id, "late upload", sha="a" * 64)  # same content as the editor run's report
    ids["late"] = late.id
    clock.advance(1)
    pending = history.create(RunKind.SCRIPT, name="waiting", user="cy")
    ids["pending"] = pending.id
    running = history.create(RunKind.COMMAND, name="busy", started=True, tags=["ui"])
    history.output(running.id, "still going\n")
    ids["running"] = running.id
    return ids


QUERIES = [
    RunQuery(),
    RunQuery(limit=3),
    RunQuery(limit=3, offset=3),
    RunQuery(limit=5, offset=100),
    RunQuery(status=RunStatus.FAILED),
    RunQuery(status=RunStatus.RUNNING),
    RunQuery(user="ana"),
    RunQuery(kind=RunKind.SCRIPT),
    RunQuery(tag="nightly"),
    RunQuery(tag="ui", limit=1),
    RunQuery(tag="none-such"),
    RunQuery(session_id="repl-1"),
    RunQuery(user="bo", status=RunStatus.COMPLETED, kind=RunKind.TRACE),
    RunQuery(user="ana", tag="nightly", limit=2, offset=1),
]
ARTIFACT_QUERIES = [
    ArtifactQuery(),
    ArtifactQuery(limit=1, offset=1),
    ArtifactQuery(artifact_type=ArtifactType.IMAGE),
    ArtifactQuery(artifact_type=ArtifactType.ARCHIVE),
]


def answers(store: RunStore, ids: Dict[str, str], now: float) -> Dict[str, Any]:
    listed = {repr(q): store.list(q) for q in QUERIES}
    every = store.list(RunQuery(limit=1000)).items
    stats = store.stats()
    return {
        "lists": listed,
        "records": {run.id: store.get(run.id) for run in every},
        "artifacts": {repr(q): store.artifacts(q) for q in ARTIFACT_QUERIES},
        "by_run": store.artifacts(ArtifactQuery(run_id=ids["editor"])),
        "one": store.artifact(store.artifacts(ArtifactQuery()).items[0].id),
        "unfinished": store.unfinished(),
        "expired": [store.expired_artifacts(now + days * DAY) for days in (0, 2, 31)],
        "references": [store.artifact_references(c * 64) for c in "abcd"],
        "stats": (stats.runs, stats.steps, stats.artifacts, stats.by_status, stats.oldest_created_at,
                  stats.newest_created_at),
    }


def test_same_events_give_the_same_answers(tmp_path: Path, fake_clock: FakeClock) -> None:
    memory = MemoryStore()
    history = RunHistory(memory, clock=fake_clock, output_limit=10_000)
    events: List[RunEvent] = []
    history.bus.subscribe(events.append)
    ids = scenario(history, fake_clock)
    sqlite = SqliteStore(tmp_path / "h.sqlite3")
    try:
        for event in events:
            sqlite.apply(event)
        expected = answers(memory, ids, fake_clock.now)
        assert answers(sqlite, ids, fake_clock.now) == expected
        # What the scenario meant, so that two wrong stores cannot agree on nonsense.
        assert expected["lists"][repr(RunQuery())].total_count == 11
        assert [r.id for r in expected["unfinished"]] == [ids["pending"], ids["running"]]
        assert expected["references"] == [2, 1, 0, 0]
        assert expected["records"][ids["editor"]].output == "line one\nline two\nunterminated tail"
        cut = fake_clock.now - 3
        assert sqlite.prune(cut, 3) == memory.prune(cut, 3)
        assert answers(sqlite, ids, fake_clock.now) == answers(memory, ids, fake_clock.now)
    finally:
        sqlite.close()


def test_a_record_holds_the_run_its_output_logs_steps_and_artifacts(history: RunHistory, fake_clock: FakeClock) -> None:
    ids = scenario(history, fake_clock)
    record = history.store.get(ids["editor"])
    assert record is not None
    run = record.run
    assert (run.status, run.user, run.tags, run.session_id, run.timeout) == (
        RunStatus.COMPLETED, "ana", ("nightly", "ui"), "repl-1", 30.0)
    assert run.metadata == {"project": "demo", "n": [1, 2]} and run.environment == {"A": "1"}
    assert run.result == {"value": 42, "items": ["a", None]} and run.progress == 0.5
    assert (run.total_steps, run.completed_steps, run.artifacts_count, run.duration_seconds) == (2, 2, 1, 3.0)
    assert record.output == "line one\nline two\nunterminated tail"
    assert [(e.message, e.level) for e in record.logs] == [("inside the step", LogLevel.WARNING)]
    assert record.logs[0].step_id == record.steps[0].id
    assert [(s.name, s.index, s.status) for s in record.steps] == [
        ("Import", 0, StepStatus.COMPLETED), ("Left open", 1, StepStatus.COMPLETED)]
    assert record.steps[0].metadata == {"count": 3} and record.steps[0].duration_seconds == 2.0
    assert [(a.name, a.step_id, a.artifact_type) for a in record.artifacts] == [
        ("report", record.steps[0].id, ArtifactType.DOCUMENT)]
    assert history.store.get("no-such-run") is None


def test_list_filters_and_pages_newest_first(history: RunHistory, fake_clock: FakeClock) -> None:
    ids = scenario(history, fake_clock)
    store = history.store
    everything = store.list(RunQuery())
    assert everything.total_count == 11 and not everything.has_more
    created = [run.created_at for run in everything.items]
    assert created == sorted(created, reverse=True)
    assert everything.items[0].id == ids["running"] and everything.items[-1].id == ids["editor"]
    page = store.list(RunQuery(limit=3, offset=3))
    assert page.items == everything.items[3:6] and page.has_more and page.total_count == 11
    assert store.list(RunQuery(limit=5, offset=100)).items == ()
    assert {r.status for r in store.list(RunQuery(status=RunStatus.FAILED)).items} == {RunStatus.FAILED}
    assert all(r.user == "ana" for r in store.list(RunQuery(user="ana")).items)
    assert all(r.kind is RunKind.SCRIPT for r in store.list(RunQuery(kind=RunKind.SCRIPT)).items)
    tagged = store.list(RunQuery(tag="nightly"))
    assert tagged.total_count == 4 and all("nightly" in r.tags for r in tagged.items)
    assert [r.id for r in store.list(RunQuery(tag="ui")).items] == [ids["running"], ids["editor"]]
    assert store.list(RunQuery(session_id="repl-1")).total_count == 2
    assert store.list(RunQuery(user="ana", tag="nightly", kind=RunKind.EDITOR)).items[0].id == ids["editor"]


def test_artifacts_query_by_run_step_and_type(history: RunHistory, fake_clock: FakeClock) -> None:
    ids = scenario(history, fake_clock)
    store = history.store
    every = store.artifacts(ArtifactQuery())
    assert [a.name for a in every.items] == ["late upload", "plot", "report"]  # newest first
    report = every.items[2]
    assert store.artifacts(ArtifactQuery(step_id=report.step_id)).items == (report,)
    assert store.artifacts(ArtifactQuery(run_id=ids["late"])).items[0].name == "late upload"
    assert [a.name for a in store.artifacts(ArtifactQuery(artifact_type=ArtifactType.IMAGE)).items] == ["plot"]
    second = store.artifacts(ArtifactQuery(limit=1, offset=1))
    assert second.items == (every.items[1],) and second.has_more and second.total_count == 3
    assert store.artifact(report.id) == report and store.artifact("nope") is None


def test_unfinished_runs_are_the_pending_and_running_ones(history: RunHistory, fake_clock: FakeClock) -> None:
    ids = scenario(history, fake_clock)
    assert [(r.id, r.status) for r in history.store.unfinished()] == [
        (ids["pending"], RunStatus.PENDING), (ids["running"], RunStatus.RUNNING)]


def test_prune_by_age_never_touches_unfinished_runs(history: RunHistory, fake_clock: FakeClock) -> None:
    old = [finished_run(history, fake_clock) for _ in range(3)]
    old_running = history.create(RunKind.COMMAND, started=True)
    old_pending = history.create(RunKind.SCRIPT)
    fake_clock.advance(40 * DAY)
    recent = finished_run(history, fake_clock)
    removed = history.prune(max_age_days=30, max_runs=1000)
    assert removed == [run.id for run in old]
    left = {run.id for run in history.store.list(RunQuery()).items}
    assert left == {recent.id, old_running.id, old_pending.id}
    assert all(history.store.get(run.id) is None for run in old)


def test_prune_by_count_keeps_the_newest_finished_runs(history: RunHistory, fake_clock: FakeClock) -> None:
    running = history.create(RunKind.EDITOR, started=True)
    runs = [finished_run(history, fake_clock, status=s) for s in (RunStatus.COMPLETED, RunStatus.FAILED,
                                                                 RunStatus.CANCELLED, RunStatus.COMPLETED)]
    pending = history.create(RunKind.EDITOR)
    assert history.prune(max_age_days=30, max_runs=2) == [runs[0].id, runs[1].id]
    assert [r.id for r in history.store.list(RunQuery()).items] == [pending.id, runs[3].id, runs[2].id, running.id]
    assert history.prune(max_age_days=30, max_runs=2) == []


def test_prune_removes_a_runs_logs_steps_and_artifacts(history: RunHistory, fake_clock: FakeClock) -> None:
    run = history.create(RunKind.SCRIPT, started=True)
    history.begin_step(run.id, "s")
    history.log(run.id, LogLevel.INFO, "kept with it")
    a = artifact(history, run.id, "x", sha="d" * 64)
    history.finish(run.id, RunStatus.COMPLETED)
    fake_clock.advance(31 * DAY)
    assert history.prune(30, 100) == [run.id]
    assert history.store.get(run.id) is None and history.store.artifact(a.id) is None
    stats = history.store.stats()
    assert (stats.runs, stats.steps, stats.artifacts) == (0, 0, 0)
    assert history.store.artifact_references("d" * 64) == 0


def test_expired_artifacts_are_past_their_own_retention(history: RunHistory, fake_clock: FakeClock) -> None:
    run = finished_run(history, fake_clock)
    short = artifact(history, run.id, "short", retention_days=1)
    long = artifact(history, run.id, "long", retention_days=10)
    assert history.store.expired_artifacts(fake_clock.now) == []
    assert history.store.expired_artifacts(fake_clock.now + 2 * DAY) == [short]
    assert history.store.expired_artifacts(fake_clock.now + 11 * DAY) == [short, long]


def test_delete_forgets_the_run_and_everything_kept_for_it(history: RunHistory, fake_clock: FakeClock) -> None:
    keep = finished_run(history, fake_clock)
    run = history.create(RunKind.SCRIPT, started=True, tags=["doomed"])
    history.output(run.id, "text\n")
    history.begin_step(run.id, "s")
    a = artifact(history, run.id, "x")
    history.finish(run.id, RunStatus.COMPLETED)
    assert history.delete(run.id) is True
    assert history.store.get(run.id) is None and history.store.artifact(a.id) is None
    assert history.store.list(RunQuery(tag="doomed")).total_count == 0
    assert [r.id for r in history.store.list(RunQuery()).items] == [keep.id]
    assert history.delete(run.id) is False
    assert history.store.stats().steps == 0 and history.store.artifact_references(a.sha256) == 0


def test_events_for_an_unknown_run_change_nothing(store: RunStore) -> None:
    store.apply(OutputAdded("ghost", "printed", ()))
    store.apply(LogAdded("ghost", LogEntry(1.0, LogLevel.INFO, "logged")))
    assert store.get("ghost") is None and store.list(RunQuery()).total_count == 0


def test_a_run_changed_again_keeps_its_output_and_place(history: RunHistory, fake_clock: FakeClock) -> None:
    first = history.create(RunKind.EDITOR, started=True)
    history.output(first.id, "a")
    fake_clock.advance(1)
    second = finished_run(history, fake_clock)
    history.update(first.id, name="renamed", metadata={"k": "v"}, tags=("new",))
    history.output(first.id, "b")
    history.finish(first.id, RunStatus.FAILED)
    record = history.store.get(first.id)
    assert record is not None and record.output == "ab" and record.run.name == "renamed"
    assert [r.id for r in history.store.list(RunQuery()).items] == [second.id, first.id]
    assert [r.id for r in history.store.list(RunQuery(tag="new")).items] == [first.id]


def test_stats_count_by_status(history: RunHistory, fake_clock: FakeClock) -> None:
    assert history.store.stats().oldest_created_at is None
    first = finished_run(history, fake_clock, status=RunStatus.FAILED)
    fake_clock.advance(5)
    history.create(RunKind.EDITOR)
    stats = history.store.stats()
    assert stats.runs == 2 and stats.by_status["failed"] == 1 and stats.by_status["pending"] == 1
    assert stats.by_status["running"] == 0 and set(stats.by_status) == {s.value for s in RunStatus}
    assert (stats.oldest_created_at, stats.newest_created_at) == (first.created_at, fake_clock.now)
