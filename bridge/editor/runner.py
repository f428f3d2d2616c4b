"""JobRunner: the server thread's side of editor jobs: submit, wait, cancel, time out.

Every job is a run in the RunHistory, created here when the job is submitted and ended by
whichever thread ends it (the game thread when its code ran, the canceller when it never
started). The runner keeps the live handles and its watchdog; it knows nothing of HTTP.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Mapping, Optional, Sequence

from ..runs import Run, RunHistory, RunNotFound, RunStatus, StopReason
from .capture import OutputRouter
from .current import ArtifactSink
from .errors import EditorNotTicking, JobAlreadyFinished, JobNotFound, QueueFull
from .execution import forget_job_source, record_cancelled_before_start, run_job
from .interrupt import Interrupter
from .jobs import Job, JobStore
from .sessions import SessionStore
from .tickqueue import TickQueue
from .watchdog import Watchdog

log = logging.getLogger("bridge")

_RESEND_INTERRUPT_SECONDS = 0.05
_WATCHDOG_PERIOD_SECONDS = 0.02
# Key of the run's metadata that keeps the execute mode, so a run read back after a restart says it.
MODE_KEY = "mode"


class JobRunner:
    """Owns the job lifecycle; the only code that hands editor jobs to the game thread."""

    def __init__(
        self,
        tickqueue: TickQueue,
        history: RunHistory,
        *,
        router: OutputRouter,
        artifacts: Optional[ArtifactSink] = None,
        stall_seconds: float = 2.0,
        interrupt_grace_seconds: float = 1.0,
        output_limit: int = 1024 * 1024,
        job_ttl_seconds: float = 3600.0,
        job_max_kept: int = 100,
        session_ttl_seconds: float = 3600.0,
    ) -> None:
        self.tickqueue = tickqueue
        self.history = history
        self.router = router
        self.artifacts = artifacts
        self.interrupter = Interrupter()
        self.store = JobStore(job_ttl_seconds, job_max_kept, on_evict=forget_job_source)
        self.sessions = SessionStore(session_ttl_seconds)
        self.stall_seconds = stall_seconds
        self.interrupt_grace_seconds = interrupt_grace_seconds
        self.output_limit = output_limit  # also the longest repr kept as a result
        self.watchdog = Watchdog(self.check_running_job, _WATCHDOG_PERIOD_SECONDS)
        self._created = time.perf_counter()
        self._last_resend = 0.0  # watchdog thread only

    # --- its own lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        """Start the watchdog that enforces timeouts. Idempotent."""
        self.watchdog.start()

    def close(self) -> None:
        self.watchdog.close()

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

    def submit(
        self,
        job: Job,
        *,
        user: str = "local",
        tags: Sequence[str] = (),
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> Job:
        """Record the job's run and queue the job for the game thread.

        Raises EditorNotTicking (nothing recorded) or QueueFull (the run is recorded as refused).
        """
        reason = self.stall_reason()
        if reason is not None:
            raise EditorNotTicking(reason)
        self.history.create(
            job.kind, run_id=job.id, name=job.name, command=job.code, user=user, tags=tags,
            metadata={**(metadata or {}), MODE_KEY: job.mode}, session_id=job.session_id, timeout=job.timeout,
        )
        self.store.add(job)
        try:
            self.tickqueue.submit(lambda: self._run_on_game_thread(job))
        except QueueFull as exc:
            if job.cancel_if_pending():
                record_cancelled_before_start(job, self.history, note=f"Refused: {exc}", error_message=str(exc))
            raise
        return job

    def job(self, job_id: str) -> Optional[Job]:
        """The live handle of a job, while the runner keeps it."""
        return self.store.get(job_id)

    def _run_on_game_thread(self, job: Job) -> None:
        if job.status is not RunStatus.PENDING:
            return
        namespace = self.sessions.globals_for(job.session_id)
        try:
            run_job(
                job, namespace, history=self.history, router=self.router, interrupter=self.interrupter,
                artifacts=self.artifacts, repr_limit=self.output_limit,
            )
        except Exception as exc:  # a bug in the bridge: the waiters must hear of it, the editor go on
            log.exception("recording job %s failed", job.id)
            job.fail(exc)

    async def wait(self, job: Job, *, cancel_on_timeout: bool = False) -> Run:
        """Wait for a job on behalf of a synchronous call; the run as it is when the wait ends.

        The job's `timeout` bounds the wait in the queue too: once it has passed with the job still
        pending, the pending run is returned (the job runs when its turn comes), or, with
        `cancel_on_timeout`, the job is cancelled and the cancelled run returned. A running job
        is waited for until it ends, or until it ran past its timeout and an interrupt has not
        stopped it within the grace period (inside a native call): then the running run is returned.
        Raises EditorNotTicking (cancelling the job) if the queue stops draining while it waits.
        """
        finished = asyncio.wrap_future(job.done)
        queue_deadline = job.submitted_perf + job.timeout
        while True:
            pause = 0.25
            started = job.started_perf
            if job.status is RunStatus.RUNNING and started is not None:
                remaining = started + job.timeout + self.interrupt_grace_seconds - time.perf_counter()
                pause = min(pause, max(remaining, 0.01))
            elif job.status is RunStatus.PENDING:
                pause = min(pause, max(queue_deadline - time.perf_counter(), 0.01))
            done, _ = await asyncio.wait({finished}, timeout=pause)
            if done:
                return finished.result()
            now = time.perf_counter()
            if job.status is RunStatus.PENDING:
                reason = self.stall_reason()
                if reason is not None and job.cancel_if_pending():
                    record_cancelled_before_start(job, self.history, note=f"Cancelled before it started: {reason}")
                    raise EditorNotTicking(reason)
                if now >= queue_deadline:
                    queued = self._end_of_queue_wait(job, cancel_on_timeout)
                    if queued is not None:
                        return queued
            sent = job.interrupt_sent_at
            if job.status is RunStatus.RUNNING and sent is not None and now - sent >= self.interrupt_grace_seconds:
                return self.history.run(job.id)

    def _end_of_queue_wait(self, job: Job, cancel: bool) -> Optional[Run]:
        """The run to answer with when a sync call's timeout passed in the queue; None if the job just started."""
        if cancel:
            if not job.cancel_if_pending(StopReason.TIMEOUT):
                return None
            message = (f"Job waited its whole {job.timeout:g} s timeout in the queue and was cancelled before "
                       "it started (cancel_on_timeout)")
            record_cancelled_before_start(job, self.history, note=message, error_message=message,
                                          error_type="Cancelled")
            return job.done.result()
        run = self.history.run(job.id)
        return run if run.status is RunStatus.PENDING else None

    async def cancel(self, job_id: str) -> Run:
        """Cancel a pending or running job. Returns the run: cancelled once it has stopped, still
        running when it is inside a native call (it stops at its next bytecode).

        Raises JobNotFound, or JobAlreadyFinished when it had ended, or ended on its own while the
        cancel was on its way.
        """
        job = self.store.get(job_id)
        if job is None:
            try:
                run = self.history.run(job_id)
            except RunNotFound:
                raise JobNotFound(job_id) from None
            if run.status.finished:
                raise JobAlreadyFinished(job_id, run.status)
            raise JobNotFound(job_id)  # unfinished, but not a job of this runner
        if job.status.finished:
            raise JobAlreadyFinished(job.id, job.status)
        if job.cancel_if_pending():
            record_cancelled_before_start(job, self.history)
            return job.done.result()
        self._stop(job, StopReason.CANCEL)
        try:
            run = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(job.done)), self.interrupt_grace_seconds)
        except asyncio.TimeoutError:
            return self.history.run(job.id)
        if run.status is not RunStatus.CANCELLED:
            raise JobAlreadyFinished(job.id, run.status, during_cancel=True)
        return run

    def _stop(self, job: Job, reason: StopReason) -> None:
        job.request_stop(reason)
        self._interrupt(job)

    def _interrupt(self, job: Job) -> None:
        if self.interrupter.interrupt(job):
            job.note_interrupt_sent()

    def check_running_job(self) -> None:
        """The watchdog's check: time out the running job, and repeat interrupts that were swallowed."""
        job = self.interrupter.current
        started = None if job is None else job.started_perf
        if job is None or started is None:
            return
        now = time.perf_counter()
        if job.stop_reason is None:
            if now - started > job.timeout:
                self._stop(job, StopReason.TIMEOUT)
                self._last_resend = now
        elif now - self._last_resend >= _RESEND_INTERRUPT_SECONDS:
            # `except BaseException: pass` in user code swallows one interrupt; keep sending.
            self._interrupt(job)
            self._last_resend = now

    def cancel_all(self, reason: StopReason = StopReason.SHUTDOWN) -> None:
        """Cancel every pending job and interrupt the running one (bridge shutdown)."""
        for job in self.store.unfinished():
            if job.cancel_if_pending(reason):
                record_cancelled_before_start(job, self.history)
            else:
                self._stop(job, reason)
