"""The run record every kind of run shares: what ran, who asked, how it ended, its steps and artifacts.

Values here are immutable snapshots. Only `RunHistory` makes new ones (with `dataclasses.replace`),
so a reader on any thread holds a consistent picture without a lock.
"""
from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Tuple


def new_id() -> str:
    return str(uuid.uuid4())


class RunKind(str, enum.Enum):
    EDITOR = "editor"  # Python on the game thread (/api/v1/python/execute)
    SCRIPT = "script"  # a named editor script
    TRACE = "trace"  # a step-by-step trace
    SANDBOX = "sandbox"  # untrusted code in a box
    COMMAND = "command"  # a subprocess (POST /api/executions)


class RunStatus(str, enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED)


class StopReason(str, enum.Enum):
    """Why a run was stopped from outside before it ended on its own."""

    TIMEOUT = "timeout"  # its wall-clock or CPU limit
    CANCEL = "cancel"  # a user asked
    SHUTDOWN = "shutdown"  # the bridge stopped while it ran
    MEMORY = "memory"  # its memory limit
    OUTPUT_LIMIT = "output_limit"  # it printed more than it may
    RESTART = "restart"  # the bridge died while it ran; found on the next start


class StepStatus(str, enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    SKIPPED = "skipped"

    @property
    def finished(self) -> bool:
        return self in (StepStatus.COMPLETED, StepStatus.FAILED, StepStatus.SKIPPED)


class ArtifactType(str, enum.Enum):
    DOCUMENT = "document"
    IMAGE = "image"
    DATA = "data"
    LOG = "log"
    ARCHIVE = "archive"
    OTHER = "other"


class LogLevel(str, enum.Enum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class LogEntry:
    """One line a run printed or logged. `stream` is stdout, stderr or log (unreal.log*, workflow lines)."""

    time: float
    level: LogLevel
    message: str
    stream: str = "log"
    step_id: Optional[str] = None


@dataclass(frozen=True)
class Step:
    """A named part of a run (seed 003 step): `with bridge.step(...)`, a ScopedSlowTask, `::group::`."""

    id: str
    run_id: str
    name: str
    index: int
    created_at: float
    description: Optional[str] = None
    status: StepStatus = StepStatus.PENDING
    exit_code: Optional[int] = None
    error_message: Optional[str] = None
    started_at: Optional[float] = None
    completed_at: Optional[float] = None
    estimated_duration: Optional[float] = None
    stop_on_error: bool = False
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def duration_seconds(self) -> Optional[float]:
        if self.started_at is None:
            return None
        end = self.completed_at
        return None if end is None else round(end - self.started_at, 3)


@dataclass(frozen=True)
class Artifact:
    """A file a run produced, stored content-addressed (`sha256`) under the data dir."""

    id: str
    run_id: str
    name: str
    file_name: str
    file_size: int
    mime_type: str
    sha256: str
    created_at: float
    artifact_type: ArtifactType = ArtifactType.OTHER
    step_id: Optional[str] = None
    description: Optional[str] = None
    tags: Tuple[str, ...] = ()
    is_public: bool = True
    retention_days: int = 30


@dataclass(frozen=True)
class Run:
    """One run of anything. Output, logs, steps and artifacts are kept beside it (see RunRecord)."""

    id: str
    kind: RunKind
    created_at: float
    name: Optional[str] = None
    # What ran: the code, the script name and parameters, or the command line.
    command: str = ""
    working_directory: Optional[str] = None
    environment: Mapping[str, str] = field(default_factory=dict)
    user: str = "local"
    tags: Tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    session_id: Optional[str] = None
    timeout: Optional[float] = None
    status: RunStatus = RunStatus.PENDING
    stop_reason: Optional[StopReason] = None
    exit_code: Optional[int] = None
    error_message: Optional[str] = None
    error_type: Optional[str] = None
    traceback: Optional[str] = None
    result: Any = None
    started_at: Optional[float] = None
    completed_at: Optional[float] = None
    duration_ms: Optional[float] = None
    output_truncated: bool = False
    logs_dropped: int = 0
    progress: Optional[float] = None  # 0..1 as reported by the run
    total_steps: int = 0
    completed_steps: int = 0
    current_step_index: Optional[int] = None
    artifacts_count: int = 0

    @property
    def duration_seconds(self) -> Optional[float]:
        if self.duration_ms is not None:
            return round(self.duration_ms / 1000, 3)
        if self.started_at is None or self.completed_at is None:
            return None
        return round(self.completed_at - self.started_at, 3)

    @property
    def progress_percentage(self) -> float:
        """Reported progress, else the share of finished steps; 100 once completed."""
        if self.status is RunStatus.COMPLETED:
            return 100.0
        if self.progress is not None:
            return round(self.progress * 100, 1)
        if self.total_steps:
            return round(100.0 * self.completed_steps / self.total_steps, 1)
        return 0.0


@dataclass(frozen=True)
class RunRecord:
    """A run with everything kept for it."""

    run: Run
    output: str = ""
    logs: Tuple[LogEntry, ...] = ()
    steps: Tuple[Step, ...] = ()
    artifacts: Tuple[Artifact, ...] = ()


@dataclass(frozen=True)
class RunQuery:
    """A page of the history, newest first."""

    limit: int = 100
    offset: int = 0
    status: Optional[RunStatus] = None
    user: Optional[str] = None
    kind: Optional[RunKind] = None
    tag: Optional[str] = None
    session_id: Optional[str] = None
    # A case-insensitive (ASCII letters, as SQLite's LIKE) part of the name or the command, or the id's start.
    text: Optional[str] = None


@dataclass(frozen=True)
class ArtifactQuery:
    limit: int = 100
    offset: int = 0
    run_id: Optional[str] = None
    step_id: Optional[str] = None
    artifact_type: Optional[ArtifactType] = None


@dataclass(frozen=True)
class Page:
    """`items` of one page and how many match in all."""

    items: Tuple[Any, ...]
    total_count: int
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total_count
