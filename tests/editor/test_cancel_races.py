"""The two cancel races, held open on purpose by a router whose begin or end waits for the test.

Both failed before the fix: the first cancel was dropped (the job was not interruptible yet, and
nothing remembered the request), the second was answered "has been cancelled" for a job whose
status was completed.
"""
from __future__ import annotations

import asyncio
import threading

import pytest

from bridge.editor.capture import OutputRouter
from bridge.editor.current import RunContext
from bridge.editor.errors import JobAlreadyFinished
from bridge.editor.jobs import Job
from bridge.editor.runner import JobRunner
from bridge.editor.tickqueue import TickQueue
from bridge.runs import MemoryStore, RunHistory, RunStatus, StopReason


class GatedRouter(OutputRouter):
    """Holds the game thread in `begin` (the job is running, not yet interruptible) or in `end`
    (its code has returned, its outcome is not yet recorded) until the test releases it."""

    def __init__(self, gate: str) -> None:
        super().__init__()
        self.gate = gate
        self.reached = threading.Event()
        self.release = threading.Event()

    def begin(self, context: RunContext) -> None:
        if self.gate == "begin":
            self.reached.set()
            self.release.wait(10)
        super().begin(context)

    def end(self) -> None:
        if self.gate == "end":
            self.reached.set()
            self.release.wait(10)
        super().end()


def gated_runner(gate: str) -> JobRunner:
    return JobRunner(TickQueue(), RunHistory(MemoryStore()), router=GatedRouter(gate), interrupt_grace_seconds=2.0)


async def test_a_cancel_while_the_job_compiles_stops_it() -> None:
    runner = gated_runner("begin")
    router = runner.router
    assert isinstance(router, GatedRouter)
    stop = threading.Event()
    runner.sessions.globals_for("gate")["stop"] = stop
    job = runner.submit(Job(code="while not stop.is_set():\n    pass\n", session_id="gate", timeout=60))
    game = threading.Thread(target=runner.tickqueue.drain, name="game")
    game.start()
    try:
        assert router.reached.wait(5)
        cancelling = asyncio.ensure_future(runner.cancel(job.id))
        await asyncio.sleep(0)  # the cancel has asked; the job is not interruptible yet
        router.release.set()
        run = await cancelling
        assert run.status is RunStatus.CANCELLED and run.stop_reason is StopReason.CANCEL
        assert runner.history.run(job.id).status is RunStatus.CANCELLED
    finally:
        stop.set()
        router.release.set()
        game.join(10)
        router.uninstall()


async def test_a_job_that_completes_during_the_cancel_is_not_reported_cancelled() -> None:
    runner = gated_runner("end")
    router = runner.router
    assert isinstance(router, GatedRouter)
    job = runner.submit(Job(code="x = 1"))
    game = threading.Thread(target=runner.tickqueue.drain, name="game")
    game.start()
    try:
        assert router.reached.wait(5)
        cancelling = asyncio.ensure_future(runner.cancel(job.id))
        await asyncio.sleep(0)
        router.release.set()
        with pytest.raises(JobAlreadyFinished) as refused:
            await cancelling
        assert refused.value.status is RunStatus.COMPLETED and refused.value.during_cancel
        assert str(refused.value) == f"Job '{job.id}' completed on its own before the cancellation took effect"
        assert runner.history.run(job.id).status is RunStatus.COMPLETED
    finally:
        router.release.set()
        game.join(10)
        router.uninstall()
