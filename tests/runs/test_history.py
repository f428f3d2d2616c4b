"""RunHistory, the one place a run changes: transitions, caps, steps, events. No HTTP, no store file."""
from __future__ import annotations

from typing import Any, List

import pytest

from bridge.runs import (
    Artifact,
    ArtifactType,
    LogLevel,
    RunFinished,
    RunHistory,
    RunKind,
    RunNotFound,
    RunQuery,
    RunStatus,
    RunStore,
    StepNotFound,
    StepStatus,
    StopReason,
)
from bridge.runs.events import OutputAdded, RunChanged, RunDeleted, StepChanged

from .conftest import FakeClock


@pytest.fixture
def history(store: RunStore, fake_clock: FakeClock) -> RunHistory:
    """Small caps, so the tests reach them; over every store the history can use."""
    return RunHistory(store, output_limit=32, log_limit=3, clock=fake_clock)


def events(history: RunHistory) -> List[Any]:
    seen: List[Any] = []
    history.bus.subscribe(seen.append)
    return seen


def test_a_run_moves_pending_running_finished(history: RunHistory, fake_clock: FakeClock) -> None:
    run = history.create(RunKind.EDITOR, command="print(1)", tags=["nightly"], metadata={"k": 1})
    assert run.status is RunStatus.PENDING and run.started_at is None
    fake_clock.advance(1)
    assert history.start(run.id).status is RunStatus.RUNNING
    fake_clock.advance(2.5)
    done = history.finish(run.id, RunStatus.COMPLETED, result="1")
    assert (done.status, done.duration_seconds, done.result, done.tags) == (RunStatus.COMPLETED, 2.5, "1", ("nightly",))
    assert history.get(run.id).run == done  # type: ignore[union-attr]
    assert history.list(RunQuery(tag="nightly")).items == (done,)


def test_changes_to_a_finished_or_unknown_run_are_refused(history: RunHistory) -> None:
    run = history.create(RunKind.COMMAND, started=True)
    history.finish(run.id, RunStatus.FAILED, exit_code=3)
    with pytest.raises(RunFinished, match="already failed"):
        history.start(run.id)
    with pytest.raises(RunFinished):
        history.begin_step(run.id, "late")
    with pytest.raises(RunNotFound):
        history.finish("no-such-run", RunStatus.COMPLETED)
    with pytest.raises(RunNotFound):
        history.run("no-such-run")
    assert history.get("no-such-run") is None


def test_bad_arguments_say_what_is_wrong(history: RunHistory) -> None:
    run = history.create(RunKind.EDITOR, started=True)
    with pytest.raises(ValueError, match="final status"):
        history.finish(run.id, RunStatus.RUNNING)
    with pytest.raises(ValueError, match="between 0 and 1"):
        history.progress(run.id, 1.5)
    with pytest.raises(ValueError, match="start\\(\\) and finish\\(\\)"):
        history.update(run.id, status=RunStatus.COMPLETED)
    with pytest.raises(StepNotFound):
        history.end_step(run.id, "no-such-step")
    step = history.begin_step(run.id, "s")
    with pytest.raises(ValueError, match="final status"):
        history.end_step(run.id, step.id, StepStatus.RUNNING)


def test_output_is_capped_and_complete_lines_become_log_entries(history: RunHistory) -> None:
    seen = events(history)
    run = history.create(RunKind.EDITOR, started=True)
    history.output(run.id, "first line\nsecond ")
    history.output(run.id, "half\n", stream="stderr")
    history.output(run.id, "x" * 100)  # past the 32-byte cap
    history.output(run.id, "dropped")
    history.finish(run.id, RunStatus.COMPLETED)
    record = history.get(run.id)
    assert record is not None
    assert len(record.output.encode()) == 32 and record.run.output_truncated
    lines = [entry for event in seen if isinstance(event, OutputAdded) for entry in event.lines]
    assert [(e.message, e.stream, e.level) for e in lines] == [
        ("first line", "stdout", LogLevel.INFO),
        ("second half", "stderr", LogLevel.ERROR),
        ("x" * 9, "stdout", LogLevel.INFO),  # the unterminated tail, sent at the end
    ]


def test_multibyte_output_is_cut_on_a_character_boundary(store: RunStore, fake_clock: FakeClock) -> None:
    history = RunHistory(store, output_limit=5, clock=fake_clock)
    run = history.create(RunKind.EDITOR, started=True)
    history.output(run.id, "ééé")  # 6 bytes
    history.finish(run.id, RunStatus.COMPLETED)
    assert history.get(run.id).output == "éé"  # type: ignore[union-attr]


def test_logs_past_the_limit_are_counted_not_kept(history: RunHistory) -> None:
    run = history.create(RunKind.EDITOR, started=True)
    for n in range(5):
        history.log(run.id, LogLevel.WARNING, f"w{n}")
    history.log(run.id, LogLevel.ERROR, "must keep", always=True)
    record = history.get(run.id)
    assert record is not None
    assert [e.message for e in record.logs] == ["w0", "w1", "w2", "must keep"]
    assert record.run.logs_dropped == 2


def test_steps_nest_and_end_with_their_run(history: RunHistory, fake_clock: FakeClock) -> None:
    seen = events(history)
    run = history.create(RunKind.SCRIPT, started=True)
    outer = history.begin_step(run.id, "Import", estimated_duration=30, stop_on_error=True)
    inner = history.begin_step(run.id, "Textures")
    history.output(run.id, "inside\n")
    fake_clock.advance(2)
    history.end_step(run.id, inner.id)
    history.begin_step(run.id, "Left open")
    history.finish(run.id, RunStatus.FAILED, error_message="boom")
    record = history.get(run.id)
    assert record is not None
    steps = {step.name: step for step in record.steps}
    assert steps["Textures"].metadata["parent_step_id"] == outer.id
    assert (steps["Textures"].status, steps["Textures"].duration_seconds) == (StepStatus.COMPLETED, 2.0)
    assert steps["Import"].status is StepStatus.FAILED and steps["Import"].stop_on_error
    assert steps["Left open"].status is StepStatus.FAILED
    assert (record.run.total_steps, record.run.completed_steps, record.run.current_step_index) == (3, 1, 2)
    line = next(e for ev in seen if isinstance(ev, OutputAdded) for e in ev.lines)
    assert line.step_id == inner.id
    assert sum(isinstance(ev, StepChanged) for ev in seen) == 6


def test_progress_reported_or_from_steps(history: RunHistory) -> None:
    run = history.create(RunKind.COMMAND, started=True)
    for name in "abcd":
        step = history.begin_step(run.id, name)
        if name in "ab":
            history.end_step(run.id, step.id)
    assert history.run(run.id).progress_percentage == 50.0
    assert history.progress(run.id, 0.25).progress_percentage == 25.0
    assert history.finish(run.id, RunStatus.COMPLETED).progress_percentage == 100.0


def test_stop_reason_is_kept(history: RunHistory) -> None:
    run = history.create(RunKind.EDITOR, started=True)
    done = history.finish(run.id, RunStatus.CANCELLED, stop_reason=StopReason.CANCEL)
    assert history.list(RunQuery(status=RunStatus.CANCELLED)).items[0].stop_reason is StopReason.CANCEL
    assert done.stop_reason is StopReason.CANCEL


def test_recover_fails_runs_a_dead_process_left_running(store: RunStore, fake_clock: FakeClock) -> None:
    before = RunHistory(store, clock=fake_clock)
    left = before.create(RunKind.EDITOR, started=True)
    finished = before.create(RunKind.EDITOR, started=True)
    before.finish(finished.id, RunStatus.COMPLETED)
    after = RunHistory(store, clock=fake_clock)  # the next process, same store
    recovered = after.recover()
    assert [run.id for run in recovered] == [left.id]
    run = after.run(left.id)
    assert (run.status, run.stop_reason) == (RunStatus.FAILED, StopReason.RESTART)
    assert after.run(finished.id).status is RunStatus.COMPLETED


def test_delete_and_prune_publish_deletions_and_spare_unfinished_runs(
    history: RunHistory, fake_clock: FakeClock
) -> None:
    seen = events(history)
    running = history.create(RunKind.EDITOR, started=True)
    old = history.create(RunKind.EDITOR, started=True)
    history.finish(old.id, RunStatus.COMPLETED)
    fake_clock.advance(40 * 86400)
    with pytest.raises(ValueError, match="cancel it first"):
        history.delete(running.id)
    assert history.delete("no-such-run") is False
    assert history.prune(max_age_days=30, max_runs=10) == [old.id]
    assert any(isinstance(ev, RunDeleted) and ev.run_id == old.id for ev in seen)
    assert history.get(old.id) is None and history.get(running.id) is not None


def test_artifacts_count_on_live_and_finished_runs(history: RunHistory, fake_clock: FakeClock) -> None:
    def artifact(run_id: str, n: int) -> Artifact:
        return Artifact(id=f"a{n}", run_id=run_id, name="shot", file_name="shot.png", file_size=3,
                        mime_type="image/png", sha256="0" * 64, created_at=fake_clock(),
                        artifact_type=ArtifactType.IMAGE)

    run = history.create(RunKind.EDITOR, started=True)
    history.add_artifact(artifact(run.id, 1))
    history.finish(run.id, RunStatus.COMPLETED)
    history.add_artifact(artifact(run.id, 2))  # an upload after the run ended
    assert history.run(run.id).artifacts_count == 2
    assert len(history.get(run.id).artifacts) == 2  # type: ignore[union-attr]
    with pytest.raises(RunNotFound):
        history.add_artifact(artifact("no-such-run", 3))


def test_a_failing_subscriber_does_not_stop_the_run_or_the_others(history: RunHistory) -> None:
    def broken(event: Any) -> None:
        raise RuntimeError("subscriber bug")

    history.bus.subscribe(broken)
    seen = events(history)
    run = history.create(RunKind.EDITOR, started=True)
    history.finish(run.id, RunStatus.COMPLETED)
    assert [ev.change.value for ev in seen if isinstance(ev, RunChanged)] == ["created", "finished"]
    assert history.run(run.id).status is RunStatus.COMPLETED


def test_log_levels_are_checked_where_they_are_given(history: RunHistory) -> None:
    run = history.create(RunKind.EDITOR, started=True)
    history.log(run.id, "warning", "as text")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="loud"):
        history.log(run.id, "loud", "no such level")  # type: ignore[arg-type]
    assert history.get(run.id).logs[0].level is LogLevel.WARNING  # type: ignore[union-attr]
