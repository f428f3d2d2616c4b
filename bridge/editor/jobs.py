"""Job, JobStatus and JobStore: every run is a job with a bounded, observable history."""
from __future__ import annotations

import concurrent.futures
import enum
import itertools
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional

if TYPE_CHECKING:
    from .capture import JobCapture


class JobStatus(str, enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


@dataclass
class LogEntry:
    time: float
    level: str  # info | warning | error
    message: str


@dataclass
class Job:
    """One run. Status moves pending -> running -> finished, or pending -> cancelled."""

    code: str
    kind: str = "python"
    # Runs instead of `code` when set (named editor scripts); must return a JSON-compatible value.
    call: Optional[Callable[[], Any]] = field(default=None, repr=False)
    name: Optional[str] = None
    mode: str = "exec"
    session_id: Optional[str] = None
    timeout: float = 30.0
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: JobStatus = JobStatus.PENDING
    created_at: float = field(default_factory=time.time)
    started_at: Optional[float] = None
    ended_at: Optional[float] = None
    started_perf: Optional[float] = None  # time.perf_counter(): every job duration and deadline uses it
    duration_ms: Optional[float] = None
    output: str = ""
    output_truncated: bool = False
    logs: List[LogEntry] = field(default_factory=list)
    result: Any = None  # repr text for code, the returned JSON value for `call` jobs
    error: Optional[str] = None
    error_type: Optional[str] = None
    traceback: Optional[str] = None
    timed_out: bool = False
    # Why an interrupt was sent ("timeout", "cancel", "shutdown"); None while none was.
    interrupt_reason: Optional[str] = None
    interrupt_sent_at: Optional[float] = None
    # What the job has printed so far, while it runs.
    capture: Optional[JobCapture] = field(default=None, repr=False)
    done: concurrent.futures.Future[Job] = field(default_factory=concurrent.futures.Future, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def mark_running(self) -> bool:
        """Game thread: pending -> running; False when the job was cancelled while queued."""
        with self._lock:
            if self.status is not JobStatus.PENDING:
                return False
            self.status = JobStatus.RUNNING
            self.started_at = time.time()
            self.started_perf = time.perf_counter()
            return True

    def cancel_if_pending(self) -> bool:
        """Any thread: pending -> cancelled, so the job never runs."""
        with self._lock:
            if self.status is not JobStatus.PENDING:
                return False
            self.status = JobStatus.CANCELLED
            self.ended_at = time.time()
            self.duration_ms = 0.0
        self.logs.append(LogEntry(self.ended_at, "info", "Cancelled before it started"))
        self._resolve()
        return True

    def finish(self, status: JobStatus) -> None:
        """Game thread: running -> completed | failed | cancelled."""
        with self._lock:
            self.status = status
            self.ended_at = time.time()
            if self.started_perf is not None:
                self.duration_ms = round((time.perf_counter() - self.started_perf) * 1000, 3)
        self._resolve()

    def elapsed_ms(self) -> float:
        """Duration so far for a running job, the final duration for a finished one."""
        if self.duration_ms is not None:
            return self.duration_ms
        if self.started_perf is None:
            return 0.0
        return round((time.perf_counter() - self.started_perf) * 1000, 3)

    def _resolve(self) -> None:
        if not self.done.done():
            self.done.set_result(self)


class JobStore:
    """Jobs by id, newest last. Finished jobs expire after `ttl` seconds and past `max_kept` in all;
    pending and running jobs are never evicted."""

    def __init__(
        self,
        ttl_seconds: float = 3600.0,
        max_kept: int = 100,
        on_evict: Optional[Callable[[Job], None]] = None,
    ) -> None:
        self.ttl_seconds = ttl_seconds
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

    def count_by_status(self) -> Dict[str, int]:
        counts = {status.value: 0 for status in JobStatus}
        with self._lock:
            for job in self._jobs.values():
                counts[job.status.value] += 1
        return counts

    def unfinished(self) -> List[Job]:
        with self._lock:
            return [job for job in self._jobs.values() if not job.status.finished]

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)

    def _evict_locked(self) -> List[Job]:
        evicted: List[Job] = []
        now = time.time()
        # A full scan for expired jobs at most once a second keeps `add` O(1) under load.
        if now - self._last_sweep >= 1.0:
            self._last_sweep = now
            for job_id, job in list(self._jobs.items()):
                if job.status.finished and job.ended_at is not None and now - job.ended_at > self.ttl_seconds:
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
