"""Retention on a fake clock: old and surplus finished runs go with their files; unfinished runs never do."""
from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import List

import pytest

from bridge.runs import RunHistory, RunKind, RunQuery, RunStatus
from bridge.runs.artifacts import ArtifactFiles
from bridge.runs.retention import PruneReport, Retention
from bridge.runs.settings import HistorySettings

from .conftest import FakeClock

DAY = 86400.0


@pytest.fixture
def files(tmp_path: Path) -> ArtifactFiles:
    return ArtifactFiles(tmp_path / "artifacts", max_bytes=1024 * 1024, default_retention_days=30)


def finished(history: RunHistory, files: ArtifactFiles, content: bytes, **store: object) -> str:
    run = history.create(RunKind.SCRIPT, started=True)
    files.store(history, run.id, content, name="out", **store)  # type: ignore[arg-type]
    history.finish(run.id, RunStatus.COMPLETED)
    return run.id


def test_old_finished_runs_go_with_their_files(
    history: RunHistory, files: ArtifactFiles, fake_clock: FakeClock
) -> None:
    old = finished(history, files, b"old only")
    shared_old = finished(history, files, b"shared")
    running = history.create(RunKind.EDITOR, started=True)
    pending = history.create(RunKind.EDITOR)
    fake_clock.advance(10 * DAY)
    recent = finished(history, files, b"shared")
    retention = Retention(history, files, HistorySettings(max_age_days=7, max_runs=100))

    report = retention.prune_once()
    assert set(report.runs) == {old, shared_old} and report.artifacts == ()
    assert len(report.files) == 1  # "shared" is still held by the recent run
    left = {run.id for run in history.list(RunQuery()).items}
    assert left == {recent, running.id, pending.id}
    assert files.path_of(history.get(recent).artifacts[0]).read_bytes() == b"shared"  # type: ignore[union-attr]
    assert retention.prune_once() == PruneReport() and PruneReport().empty


def test_runs_beyond_max_runs_go_oldest_first(history: RunHistory, files: ArtifactFiles, fake_clock: FakeClock) -> None:
    ids = []
    for n in range(5):
        ids.append(finished(history, files, f"run {n}".encode()))
        fake_clock.advance(60)
    running = history.create(RunKind.EDITOR, started=True)
    report = Retention(history, files, HistorySettings(max_age_days=30, max_runs=2)).prune_once()
    assert list(report.runs) == ids[:3] and len(report.files) == 3
    assert [run.id for run in history.list(RunQuery()).items] == [running.id, ids[4], ids[3]]


def test_unfinished_runs_are_never_pruned_however_old(
    history: RunHistory, files: ArtifactFiles, fake_clock: FakeClock
) -> None:
    running = history.create(RunKind.COMMAND, started=True)
    pending = history.create(RunKind.SCRIPT)
    fake_clock.advance(400 * DAY)
    report = Retention(history, files, HistorySettings(max_age_days=1, max_runs=1)).prune_once()
    assert report.runs == ()
    assert {run.id for run in history.list(RunQuery()).items} == {running.id, pending.id}


def test_artifacts_go_after_their_own_retention(
    history: RunHistory, files: ArtifactFiles, fake_clock: FakeClock
) -> None:
    run = history.create(RunKind.SCRIPT, started=True)
    short = files.store(history, run.id, b"short", name="short", retention_days=2)
    long = files.store(history, run.id, b"long", name="long", retention_days=20)
    history.finish(run.id, RunStatus.COMPLETED)
    retention = Retention(history, files, HistorySettings(max_age_days=365, max_runs=100))
    fake_clock.advance(1 * DAY)
    assert retention.prune_once().artifacts == ()
    fake_clock.advance(2 * DAY)
    report = retention.prune_once()
    assert report.artifacts == (short.id,) and report.files == (short.sha256,) and report.runs == ()
    assert not files.path_of(short).exists() and files.path_of(long).exists()
    assert [a.id for a in history.get(run.id).artifacts] == [long.id]  # type: ignore[union-attr]


async def test_run_forever_prunes_in_a_worker_thread_until_cancelled(
    history: RunHistory, files: ArtifactFiles, fake_clock: FakeClock
) -> None:
    threads: List[threading.Thread] = []
    passes = asyncio.Event()
    loop = asyncio.get_running_loop()

    class Counting(Retention):
        def prune_once(self) -> PruneReport:
            threads.append(threading.current_thread())
            report = super().prune_once()
            if len(threads) >= 2:
                loop.call_soon_threadsafe(passes.set)
            return report

    old = finished(history, files, b"old")
    fake_clock.advance(10 * DAY)
    retention = Counting(history, files, HistorySettings(max_age_days=1, prune_interval_seconds=0.01))
    task = asyncio.ensure_future(retention.run_forever())
    await asyncio.wait_for(passes.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert threading.main_thread() not in threads and threading.current_thread() not in threads
    assert history.get(old) is None


async def test_a_failing_pass_is_logged_and_the_next_one_runs(
    history: RunHistory, files: ArtifactFiles, caplog: pytest.LogCaptureFixture
) -> None:
    passes = asyncio.Event()
    loop = asyncio.get_running_loop()
    calls: List[int] = []

    class FailsOnce(Retention):
        def prune_once(self) -> PruneReport:
            calls.append(1)
            if len(calls) == 1:
                raise OSError("disk went away")
            loop.call_soon_threadsafe(passes.set)
            return PruneReport()

    task = asyncio.ensure_future(
        FailsOnce(history, files, HistorySettings(prune_interval_seconds=0.01)).run_forever()
    )
    await asyncio.wait_for(passes.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert any("retention failed" in r.getMessage() for r in caplog.records)
