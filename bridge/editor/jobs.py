"""Job, the live handle of one editor run, and JobStore, the runner's handles by id.

Everything anyone may observe about a run (status, output, logs, result, error) lives in the
RunHistory. A Job holds only what executing it needs: the code or call, the future its waiters
await, and the stop bookkeeping. The few fields more than one thread touches change only through
the methods below, under the job's own lock.
"""
from __future__ import annotations

import concurrent.futures
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from ..runs import Run, RunKind, RunStatus, StopReason
from ..runs.model import new_id

# A job's status is its run's; the name stays for code written against earlier versions.
JobStatus = RunStatus


@dataclass(eq=False)
class Job:
    """One editor run in flight. Status moves pending -> running -> finished, or pending -> cancelled."""

    code: str
    kind: RunKind = RunKind.EDITOR
    # Runs instead of `code` when set (named editor scripts); must return a JSON-compatible value.
    call: Optional[Callable[[], Any]] = field(default=None, repr=False)
    name: Optional[str] = None
    mode: str = "exec"
    session_id: Optional[str] = None
    timeout: float = 30.0
    id: str = field(default_factory=new_id)
    submitted_perf: float = field(default_factory=time.perf_counter)
    # The final run snapshot, once the history has recorded how the job ended.
    done: concurrent.futures.Future[Run] = field(default_factory=concurrent.futures.Future, repr=False)
    _status: RunStatus = field(default=RunStatus.PENDING, repr=False)
    _started_perf: Optional[float] = field(default=None, repr=False)
    _ended_at: Optional[float] = field(default=None, repr=False)
    _duration_ms: Optional[float] = field(default=None, repr=False)
    _stop_reason: Optional[StopReason] = field(default=None, repr=False)
    _interrupt_sent_at: Optional[float] = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # --- read from any thread ------------------------------------------------------------------

    @property
    def status(self) -> RunStatus:
        return self._status

    @property
    def started_perf(self) -> Optional[float]:
        """time.perf_counter() when the job started: every duration and deadline of a job uses it."""
        return self._started_perf

    @property
    def ended_at(self) -> Optional[float]:
        return self._ended_at

    @property
    def stop_reason(self) -> Optional[StopReason]:
        """Why a stop was asked for (timeout, cancel, shutdown); None while none was."""
        return self._stop_reason

    @property
    def interrupt_sent_at(self) -> Optional[float]:
        """time.perf_counter() when the first interrupt actually reached the job's thread."""
        return self._interrupt_sent_at

    def elapsed_ms(self) -> float:
        """Duration so far for a running job, the final duration for a finished one."""
        if self._duration_ms is not None:
            return self._duration_ms
        started = self._started_perf
        return 0.0 if started is None else round((time.perf_counter() - started) * 1000, 3)

    # --- the lifecycle: each transition happens once, whichever thread gets there first --------

    def mark_running(self) -> bool:
        """Game thread: pending -> running; False when the job was cancelled while queued."""
        with self._lock:
            if self._status is not RunStatus.PENDING:
                return False
            self._status = RunStatus.RUNNING
            self._started_perf = time.perf_counter()
            return True

    def cancel_if_pending(self, reason: StopReason = StopReason.CANCEL) -> bool:
        """Any thread: pending -> cancelled, so the job never runs. The caller records the run's end."""
        with self._lock:
            if self._status is not RunStatus.PENDING:
                return False
            self._status = RunStatus.CANCELLED
            self._stop_reason = self._stop_reason or reason
            self._duration_ms = 0.0
            return True

    def finish(self, run: Run) -> None:
        """Once the history has recorded the end: resolve the waiters with the final snapshot."""
        with self._lock:
            self._status = run.status
            self._ended_at = time.time()
            if run.duration_ms is not None:
                self._duration_ms = run.duration_ms
            elif self._duration_ms is None:
                self._duration_ms = self.elapsed_ms()
        if not self.done.done():
            self.done.set_result(run)

    def fail(self, error: BaseException) -> None:
        """The bridge itself could not record the end (a bug): waiters get the error, not a hang."""
        with self._lock:
            self._status = RunStatus.FAILED
            self._ended_at = time.time()
        if not self.done.done():
            self.done.set_exception(error)

    # --- stop requests -------------------------------------------------------------------------

    def request_stop(self, reason: StopReason) -> StopReason:
        """Any thread: ask the job to stop; the first reason asked for is the one that counts."""
        with self._lock:
            if self._stop_reason is None:
                self._stop_reason = reason
            return self._stop_reason

    def note_interrupt_sent(self) -> None:
        with self._lock:
            if self._interrupt_sent_at is None:
                self._interrupt_sent_at = time.perf_counter()


class JobStore:
    """Job handles by id, newest last. A finished handle is kept a while only so that tracebacks
    can still quote its source (see `forget_job_source`): expired after `ttl` seconds and past
    `max_kept` in all. Pending and running jobs are never evicted."""

    def __init__(
        self,
        ttl_seconds: float = 3600.0,
        max_kept: int = 100,
        on_evict: Optional[Callable[[Job], None]] = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.clock = clock
        self.max_kept = max_kept
        self._jobs: Dict[str, Job] = {}
        self._lock = threading.Lock()
        self._on_evict = on_evict
        self._last_sweep = 0.0

    def add(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            evicted = self._evict_locked()
        self._after_evict(evicted)

    def get(self, job_id: str) -> Optional[Job]:
        with self._lock:
            return self._jobs.get(job_id)

    def list(self) -> List[Job]:
        """Newest first."""
        with self._lock:
            evicted = self._evict_locked()
            jobs = list(self._jobs.values())
        self._after_evict(evicted)
        jobs.reverse()
        return jobs

    def unfinished(self) -> List[Job]:
        with self._lock:
            return [job for job in self._jobs.values() if not job.status.finished]

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)

    def _evict_locked(self) -> List[Job]:
        evicted: List[Job] = []
        now = self.clock()
        # A full scan for expired jobs at most once a second keeps `add` O(1) under load.
        if now - self._last_sweep >= 1.0:
            self._last_sweep = now
            for job_id, job in list(self._jobs.items()):
                ended = job.ended_at
                if job.status.finished and ended is not None and now - ended > self.ttl_seconds:
                    evicted.append(self._jobs.pop(job_id))
        excess = len(self._jobs) - self.max_kept
        if excess > 0:
            # Oldest first; usually the very first entries, so this stops early.
            finished = (job_id for job_id, job in self._jobs.items() if job.status.finished)
            for job_id in list(itertools.islice(finished, excess)):
                evicted.append(self._jobs.pop(job_id))
        return evicted

    def _after_evict(self, evicted: List[Job]) -> None:
        if self._on_evict is not None:
            for job in evicted:
                self._on_evict(job)
