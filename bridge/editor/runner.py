"""JobRunner: the server thread's side of editor jobs: submit, wait, cancel, time out."""
from __future__ import annotations

import asyncio
import time
from typing import Optional

from ..api.errors import ApiError, editor_not_ticking
from ..api.metrics import Metrics
from .capture import OutputRouter
from .execution import forget_job_source, run_job
from .interrupt import Interrupter
from .jobs import Job, JobStatus, JobStore
from .sessions import SessionStore
from .tickqueue import QueueFull, TickQueue

_RESEND_INTERRUPT_SECONDS = 0.05
_WATCHDOG_PERIOD_SECONDS = 0.02


class JobRunner:
    """Owns the job lifecycle; the only code that hands editor jobs to the game thread."""

    def __init__(
        self,
        tickqueue: TickQueue,
        *,
        router: OutputRouter,
        metrics: Metrics,
        stall_seconds: float = 2.0,
        interrupt_grace_seconds: float = 1.0,
        output_limit: int = 1024 * 1024,
        log_limit: int = 10_000,
        job_ttl_seconds: float = 3600.0,
        job_max_kept: int = 100,
        session_ttl_seconds: float = 3600.0,
    ) -> None:
        self.tickqueue = tickqueue
        self.router = router
        self.metrics = metrics
        self.interrupter = Interrupter()
        self.store = JobStore(job_ttl_seconds, job_max_kept, on_evict=forget_job_source)
        self.sessions = SessionStore(session_ttl_seconds)
        self.stall_seconds = stall_seconds
        self.interrupt_grace_seconds = interrupt_grace_seconds
        self.output_limit = output_limit
        self.log_limit = log_limit
        self._created = time.perf_counter()
        self._last_resend: float = 0.0

    # --- the editor's state -------------------------------------------------------------------

    def ticking(self) -> bool:
        """Whether the game thread has drained the queue within the last `stall_seconds`."""
        since = self.tickqueue.seconds_since_tick()
        return since is not None and since <= self.stall_seconds

    def stall_reason(self) -> Optional[str]:
        """Why queued work would not run now, or None when the game thread is draining the queue."""
        if self.interrupter.current is not None:
            return None  # busy with a job, not stalled
        since = self.tickqueue.seconds_since_tick()
        if since is None:
            if time.perf_counter() - self._created <= self.stall_seconds:
                return None
            return (
                "the editor's game thread has never ticked: Slate tick callbacks do not fire in a commandlet "
                "or with -nullrhi; start a full editor"
            )
        if since > self.stall_seconds:
            return (
                f"the editor's game thread has not ticked for {since:.1f} s (no Slate: commandlet or -nullrhi, "
                "or the editor is frozen in a modal dialog)"
            )
        return None

    # --- jobs ---------------------------------------------------------------------------------

    def submit(self, job: Job) -> Job:
        """Queue a job for the game thread. Raises ApiError when the editor cannot take it."""
        reason = self.stall_reason()
        if reason is not None:
            raise editor_not_ticking(reason)
        self.store.add(job)
        try:
            self.tickqueue.submit(lambda: self._run_on_game_thread(job))
        except QueueFull as exc:
            job.cancel_if_pending()
            raise ApiError(
                503, "QUEUE_FULL",
                f"{exc}; wait for queued jobs to finish or cancel some (GET /api/v1/python/jobs)",
                headers={"Retry-After": "1"},
            ) from None
        return job

    def _run_on_game_thread(self, job: Job) -> None:
        if job.status is not JobStatus.PENDING:
            return
        namespace = self.sessions.globals_for(job.session_id)
        run_job(job, namespace, self.router, self.interrupter, self.output_limit, self.log_limit)
        self.metrics.job_done(job)

    async def wait(self, job: Job) -> bool:
        """Wait for a job; True once finished, False when it timed out and cannot be interrupted.

        Raises EDITOR_NOT_TICKING (cancelling the job) if the queue stops draining while it waits.
        """
        finished = asyncio.wrap_future(job.done)
        while True:
            pause = 0.25
            if job.status is JobStatus.RUNNING and job.started_perf is not None:
                remaining = job.started_perf + job.timeout + self.interrupt_grace_seconds - time.perf_counter()
                pause = min(pause, max(remaining, 0.01))
            done, _ = await asyncio.wait({finished}, timeout=pause)
            if done:
                return True
            if job.status is JobStatus.PENDING:
                reason = self.stall_reason()
                if reason is not None and job.cancel_if_pending():
                    raise editor_not_ticking(reason)
            sent = job.interrupt_sent_at
            if job.status is JobStatus.RUNNING and sent is not None and (
                time.perf_counter() - sent >= self.interrupt_grace_seconds
            ):
                return False

    async def cancel(self, job: Job) -> bool:
        """Cancel a pending or running job. True when it has stopped, False when still running
        (inside a native call; it stops at its next bytecode)."""
        if job.status.finished:
            raise ApiError(
                400, "JOB_ALREADY_FINISHED",
                f"Job '{job.id}' is already {job.status.value} and cannot be cancelled",
            )
        if job.cancel_if_pending():
            return True
        if job.interrupt_reason is None:
            job.interrupt_reason = "cancel"
        self._send_interrupt(job)
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(job.done)), self.interrupt_grace_seconds)
        except asyncio.TimeoutError:
            return False
        return True

    def _send_interrupt(self, job: Job) -> None:
        if self.interrupter.interrupt(job) and job.interrupt_sent_at is None:
            job.interrupt_sent_at = time.perf_counter()

    async def watchdog(self) -> None:
        """Server thread, forever: time out the running job, and repeat interrupts that were swallowed."""
        while True:
            await asyncio.sleep(_WATCHDOG_PERIOD_SECONDS)
            self.check_running_job()

    def check_running_job(self) -> None:
        job = self.interrupter.current
        if job is None or job.started_perf is None:
            return
        now = time.perf_counter()
        if job.interrupt_reason is None:
            if now - job.started_perf > job.timeout:
                job.interrupt_reason = "timeout"
                self._send_interrupt(job)
                self._last_resend = now
        elif now - self._last_resend >= _RESEND_INTERRUPT_SECONDS:
            # `except BaseException: pass` in user code swallows one interrupt; keep sending.
            self._send_interrupt(job)
            self._last_resend = now

    def cancel_all(self, reason: str = "shutdown") -> None:
        """Cancel every pending job and interrupt the running one (bridge shutdown)."""
        for job in self.store.unfinished():
            if not job.cancel_if_pending() and job.interrupt_reason is None:
                job.interrupt_reason = reason
                self._send_interrupt(job)
