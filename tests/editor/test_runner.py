"""JobRunner without HTTP: every job is a run in the history; timeouts, queue waits, cancels, shutdown."""
from __future__ import annotations

import asyncio
import threading

import pytest

from bridge.editor.errors import EditorNotTicking, JobAlreadyFinished, JobNotFound, QueueFull
from bridge.editor.jobs import Job
from bridge.editor.runner import MODE_KEY
from bridge.editor.sessions import SessionStore
from bridge.runs import LogLevel, Run, RunKind, RunQuery, RunRecord, RunStatus, StopReason

from .conftest import RunnerFactory

_NOTHING = RunRecord(Run(id="", kind=RunKind.EDITOR, created_at=0.0))
WAIT_FOR_GATE = "import time\nwhile not gate.is_set():\n    time.sleep(0.002)\n"


def gated(sessions: SessionStore, gate: threading.Event) -> str:
    """A session whose globals hold `gate`, for jobs that wait until the test releases them."""
    sessions.globals_for("gated")["gate"] = gate
    return "gated"


async def test_a_job_is_a_run_with_who_asked_its_labels_output_and_logs(make_runner: RunnerFactory) -> None:
    runner = make_runner()
    job = runner.submit(
        Job(code="import unreal\nprint('hello')\nunreal.log_warning('careful')\n6 * 7", name="answer", timeout=5),
        user="ci", tags=["nightly"], metadata={"ticket": 7},
    )
    run = await runner.wait(job)
    assert run.status is RunStatus.COMPLETED and run.result == "42" and run.kind is RunKind.EDITOR
    assert (run.user, run.tags, run.name, run.timeout) == ("ci", ("nightly",), "answer", 5)
    assert run.metadata == {"ticket": 7, MODE_KEY: "exec"}
    assert run.command.startswith("import unreal")
    record = runner.history.get(job.id)
    assert record is not None
    assert record.output == "hello\n"  # the mock's unreal module is not installed: no echo of the log
    assert (record.logs[0].level, record.logs[0].message) == (LogLevel.INFO, "Execution started")
    assert record.logs[-1].message == "Script completed"


async def test_a_stalled_editor_refuses_a_job_without_recording_it(make_runner: RunnerFactory) -> None:
    runner = make_runner(tick=False, stall_seconds=0.0)
    with pytest.raises(EditorNotTicking, match="never ticked"):
        runner.submit(Job(code="1"))
    assert runner.history.list(RunQuery()).total_count == 0


async def test_a_full_queue_refuses_and_the_history_says_so(make_runner: RunnerFactory) -> None:
    runner = make_runner(tick=False, queue_limit=1)
    runner.submit(Job(code="1"))
    refused = Job(code="2")
    with pytest.raises(QueueFull):
        runner.submit(refused)
    run = runner.history.run(refused.id)
    assert run.status is RunStatus.CANCELLED and run.started_at is None
    assert run.error_message == "the tick queue already holds 1 items"


async def test_the_watchdog_times_out_a_busy_loop(make_runner: RunnerFactory) -> None:
    runner = make_runner()
    job = runner.submit(Job(code="while True:\n    pass\n", timeout=0.2))
    run = await runner.wait(job)
    assert run.status is RunStatus.FAILED and run.stop_reason is StopReason.TIMEOUT
    assert run.error_type == "TimeoutError" and "0.2 s timeout" in (run.error_message or "")


async def test_a_sync_wait_gives_up_in_the_queue_and_the_job_runs_later(make_runner: RunnerFactory) -> None:
    runner = make_runner()
    gate = threading.Event()
    session = gated(runner.sessions, gate)
    blocker = runner.submit(Job(code=WAIT_FOR_GATE, session_id=session, timeout=60))
    queued = runner.submit(Job(code="print('my turn')", timeout=0.1))
    try:
        run = await runner.wait(queued)
        assert run.status is RunStatus.PENDING and blocker.status is RunStatus.RUNNING
    finally:
        gate.set()
    final = await asyncio.wrap_future(queued.done)
    assert final.status is RunStatus.COMPLETED
    record = runner.history.get(queued.id)
    assert record is not None and record.output == "my turn\n"


async def test_cancel_on_timeout_cancels_the_queued_job(make_runner: RunnerFactory) -> None:
    runner = make_runner()
    gate = threading.Event()
    session = gated(runner.sessions, gate)
    blocker = runner.submit(Job(code=WAIT_FOR_GATE, session_id=session, timeout=60))
    queued = runner.submit(Job(code="print('never')", timeout=0.1))
    try:
        run = await runner.wait(queued, cancel_on_timeout=True)
    finally:
        gate.set()
    assert run.status is RunStatus.CANCELLED and run.stop_reason is StopReason.TIMEOUT
    assert run.started_at is None and "cancel_on_timeout" in (run.error_message or "")
    assert (await asyncio.wrap_future(blocker.done)).status is RunStatus.COMPLETED
    record = runner.history.get(queued.id)
    assert record is not None and record.output == "" and record.run.status is RunStatus.CANCELLED


async def test_cancel_a_pending_job_then_refuse_a_second_cancel(make_runner: RunnerFactory) -> None:
    runner = make_runner(tick=False)
    job = runner.submit(Job(code="print('never')"))
    run = await runner.cancel(job.id)
    assert run.status is RunStatus.CANCELLED and run.stop_reason is StopReason.CANCEL
    with pytest.raises(JobAlreadyFinished, match="is already cancelled and cannot be cancelled"):
        await runner.cancel(job.id)
    with pytest.raises(JobNotFound, match="not found"):
        await runner.cancel("no-such-job")


async def test_cancel_a_running_job(make_runner: RunnerFactory) -> None:
    runner = make_runner()
    job = runner.submit(Job(code="print('started', flush=True)\nwhile True:\n    pass\n", timeout=60))
    while not (runner.history.get(job.id) or _NOTHING).output:
        await asyncio.sleep(0.005)
    run = await runner.cancel(job.id)
    assert run.status is RunStatus.CANCELLED and run.error_message == "Job was cancelled while running"
    record = runner.history.get(job.id)
    assert record is not None and record.output == "started\n"


async def test_shutdown_cancels_the_queue_and_stops_the_running_job(make_runner: RunnerFactory) -> None:
    runner = make_runner()
    running = runner.submit(Job(code="while True:\n    pass\n", timeout=60))
    queued = runner.submit(Job(code="print('never')"))
    while runner.interrupter.current is not running:
        await asyncio.sleep(0.005)
    runner.cancel_all()
    stopped = await asyncio.wrap_future(running.done)
    assert stopped.status is RunStatus.CANCELLED and stopped.stop_reason is StopReason.SHUTDOWN
    assert "shutting down" in (stopped.error_message or "")
    never = runner.history.run(queued.id)
    assert never.status is RunStatus.CANCELLED and never.stop_reason is StopReason.SHUTDOWN


async def test_output_reaches_the_history_while_the_job_runs(make_runner: RunnerFactory) -> None:
    runner = make_runner()
    gate = threading.Event()
    session = gated(runner.sessions, gate)
    job = runner.submit(Job(code="print('first', flush=True)\n" + WAIT_FOR_GATE + "print('second')",
                            session_id=session, timeout=60))
    try:
        for _ in range(2000):
            record = runner.history.get(job.id)
            if record is not None and record.output:
                break
            await asyncio.sleep(0.005)
        assert record is not None and record.output == "first\n" and record.run.status is RunStatus.RUNNING
    finally:
        gate.set()
    await asyncio.wrap_future(job.done)
    final = runner.history.get(job.id)
    assert final is not None and final.output == "first\nsecond\n"
