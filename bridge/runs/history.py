"""RunHistory: the one place a run changes. Every change is a new snapshot, published as an event.

Callers on any thread (game thread, event loop, a command's reader thread) call these methods;
the history keeps the live state of unfinished runs, enforces the output and log caps, and hands
every event to its bus: the store first, then the live subscribers (WebSocket, metrics).
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from .events import (
    ArtifactAdded,
    ArtifactDeleted,
    Change,
    EventBus,
    LogAdded,
    OutputAdded,
    RunChanged,
    RunDeleted,
    RunEvent,
    StepChanged,
    run_id_of,
)
from .model import (
    Artifact,
    ArtifactQuery,
    LogEntry,
    LogLevel,
    Page,
    Run,
    RunKind,
    RunQuery,
    RunRecord,
    RunStatus,
    Step,
    StepStatus,
    StopReason,
    new_id,
)
from .store import RunStore, StoreStats

RECENT_RUNS = 256


class RunNotFound(KeyError):
    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.run_id = run_id


class StepNotFound(KeyError):
    def __init__(self, run_id: str, step_id: str) -> None:
        super().__init__(step_id)
        self.run_id = run_id
        self.step_id = step_id


class RunFinished(Exception):
    """A change to a run that has already ended."""

    def __init__(self, run: Run) -> None:
        super().__init__(f"run {run.id} is already {run.status.value}")
        self.run = run


@dataclass
class _Live:
    """What the history holds for an unfinished run. Guarded by RunHistory._lock."""

    run: Run
    output: List[str] = field(default_factory=list)
    output_size: int = 0
    partial_line: str = ""
    logs: List[LogEntry] = field(default_factory=list)
    steps: Dict[str, Step] = field(default_factory=dict)
    open_steps: List[str] = field(default_factory=list)  # innermost last
    artifacts: List[Artifact] = field(default_factory=list)


class RunHistory:
    def __init__(
        self,
        store: RunStore,
        *,
        output_limit: int = 1024 * 1024,
        log_limit: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.output_limit = output_limit
        self.log_limit = log_limit
        self.clock = clock
        self.bus = EventBus()
        self.bus.subscribe(store.apply)
        self._live: Dict[str, _Live] = {}
        # The last runs to finish, as they ended: the reply to a run that just ended is built from
        # here instead of reading back from the store what this process held a moment ago.
        self._recent: OrderedDict[str, RunRecord] = OrderedDict()
        self._lock = threading.Lock()
        self.bus.subscribe(self._forget_recent)

    # --- a run's life -------------------------------------------------------------------------

    def create(
        self,
        kind: RunKind,
        *,
        name: Optional[str] = None,
        command: str = "",
        user: str = "local",
        tags: Sequence[str] = (),
        metadata: Optional[Mapping[str, Any]] = None,
        working_directory: Optional[str] = None,
        environment: Optional[Mapping[str, str]] = None,
        session_id: Optional[str] = None,
        timeout: Optional[float] = None,
        run_id: Optional[str] = None,
        started: bool = False,
    ) -> Run:
        """Record a new run, pending (or already running with `started`)."""
        now = self.clock()
        run = Run(
            id=run_id or new_id(), kind=kind, created_at=now, name=name, command=command, user=user,
            tags=tuple(tags), metadata=dict(metadata or {}), working_directory=working_directory,
            environment=dict(environment or {}), session_id=session_id, timeout=timeout,
            status=RunStatus.RUNNING if started else RunStatus.PENDING, started_at=now if started else None,
        )
        with self._lock:
            self._live[run.id] = _Live(run)
        self.bus.publish(RunChanged(Change.CREATED, run))
        return run

    def start(self, run_id: str) -> Run:
        """pending -> running."""
        with self._lock:
            live = self._live_locked(run_id)
            run = live.run = dataclasses.replace(live.run, status=RunStatus.RUNNING, started_at=self.clock())
        self.bus.publish(RunChanged(Change.STARTED, run))
        return run

    def update(self, run_id: str, **changes: Any) -> Run:
        """Change fields of an unfinished run (metadata, name, progress); not its status."""
        if "status" in changes:
            raise ValueError("status changes go through start() and finish()")
        with self._lock:
            live = self._live_locked(run_id)
            run = live.run = dataclasses.replace(live.run, **changes)
        self.bus.publish(RunChanged(Change.UPDATED, run))
        return run

    def progress(self, run_id: str, fraction: float) -> Run:
        if not 0.0 <= fraction <= 1.0:
            raise ValueError(f"progress must be between 0 and 1, got {fraction!r}")
        return self.update(run_id, progress=round(fraction, 4))

    def finish(
        self,
        run_id: str,
        status: RunStatus,
        *,
        stop_reason: Optional[StopReason] = None,
        exit_code: Optional[int] = None,
        error_message: Optional[str] = None,
        error_type: Optional[str] = None,
        traceback: Optional[str] = None,
        result: Any = None,
        duration_ms: Optional[float] = None,
    ) -> Run:
        """running or pending -> completed, failed or cancelled. Open steps end with the run."""
        if not status.finished:
            raise ValueError(f"finish() needs a final status, not {status.value}")
        now = self.clock()
        events: List[RunEvent] = []
        with self._lock:
            live = self._live_locked(run_id)
            tail = self._flush_partial_locked(live, now)
            if tail is not None:
                events.append(tail)
            step_status = StepStatus.COMPLETED if status is RunStatus.COMPLETED else StepStatus.FAILED
            for step_id in reversed(live.open_steps):
                events.append(self._end_step_locked(live, step_id, step_status, now, error_message=None))
            live.open_steps.clear()
            started = live.run.started_at
            if duration_ms is None and started is not None:
                duration_ms = round((now - started) * 1000, 3)
            run = live.run = dataclasses.replace(
                live.run, status=status, stop_reason=stop_reason, exit_code=exit_code,
                error_message=error_message, error_type=error_type, traceback=traceback, result=result,
                completed_at=now, duration_ms=duration_ms if started is not None else 0.0,
                current_step_index=live.run.current_step_index,
            )
            del self._live[run_id]
        for event in events:
            self.bus.publish(event)
        self.bus.publish(RunChanged(Change.FINISHED, run))
        with self._lock:
            self._recent[run_id] = self._record_locked(live)
            if len(self._recent) > RECENT_RUNS:
                self._recent.popitem(last=False)
        return run

    # --- what it prints and logs --------------------------------------------------------------

    def output(self, run_id: str, text: str, stream: str = "stdout") -> None:
        """Printed text, capped at `output_limit` bytes; complete lines also become log entries."""
        if not text:
            return
        now = self.clock()
        with self._lock:
            live = self._live.get(run_id)
            if live is None or live.run.output_truncated:
                return
            size = len(text) if text.isascii() else len(text.encode("utf-8", "replace"))
            room = self.output_limit - live.output_size
            truncated = size > room
            if truncated:
                text = text.encode("utf-8", "replace")[:room].decode("utf-8", "ignore")
                size = len(text.encode("utf-8", "replace"))
                live.run = dataclasses.replace(live.run, output_truncated=True)
            live.output_size += size
            live.output.append(text)
            lines = (live.partial_line + text).split("\n")
            live.partial_line = lines.pop()
            step_id = live.open_steps[-1] if live.open_steps else None
            level = LogLevel.ERROR if stream == "stderr" else LogLevel.INFO
            entries = tuple(LogEntry(now, level, line, stream, step_id) for line in lines)
            run = live.run
        self.bus.publish(OutputAdded(run_id, text, entries))
        if truncated:
            self.bus.publish(RunChanged(Change.UPDATED, run))

    def log(self, run_id: str, level: LogLevel, message: str, *, stream: str = "log", always: bool = False) -> None:
        """A structured log line; past `log_limit` lines they are counted, not kept, unless `always`."""
        level = LogLevel(level)  # "warning" works too; a level no store can keep fails here, not in the writer
        now = self.clock()
        with self._lock:
            live = self._live.get(run_id)
            if live is None:
                return
            if len(live.logs) >= self.log_limit and not always:
                live.run = dataclasses.replace(live.run, logs_dropped=live.run.logs_dropped + 1)
                return
            step_id = live.open_steps[-1] if live.open_steps else None
            entry = LogEntry(now, level, message, stream, step_id)
            live.logs.append(entry)
        self.bus.publish(LogAdded(run_id, entry))

    def append_logs(self, run_id: str, entries: Sequence[LogEntry]) -> None:
        """Add log entries found after the fact (the engine log's lines, read once a run ended) to a run,
        finished or not. They keep their own times and are not counted against `log_limit`."""
        if not entries:
            return
        with self._lock:
            live = self._live.get(run_id)
            if live is not None:
                live.logs.extend(entries)
        if live is None and self.store.get(run_id) is None:
            raise RunNotFound(run_id)
        for entry in entries:
            self.bus.publish(LogAdded(run_id, entry))

    # --- steps ---------------------------------------------------------------------------------

    def begin_step(
        self,
        run_id: str,
        name: str,
        *,
        description: Optional[str] = None,
        estimated_duration: Optional[float] = None,
        stop_on_error: bool = False,
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> Step:
        """A new step, running at once, nested inside the step open now (if any)."""
        now = self.clock()
        with self._lock:
            live = self._live_locked(run_id)
            parent = live.open_steps[-1] if live.open_steps else None
            details = dict(metadata or {})
            if parent is not None:
                details.setdefault("parent_step_id", parent)
            step = Step(
                id=new_id(), run_id=run_id, name=name, index=len(live.steps), created_at=now,
                description=description, status=StepStatus.RUNNING, started_at=now,
                estimated_duration=estimated_duration, stop_on_error=stop_on_error, metadata=details,
            )
            live.steps[step.id] = step
            live.open_steps.append(step.id)
            run = live.run = dataclasses.replace(
                live.run, total_steps=len(live.steps), current_step_index=step.index
            )
        self.bus.publish(StepChanged(run_id, step))
        self.bus.publish(RunChanged(Change.UPDATED, run))
        return step

    def end_step(
        self,
        run_id: str,
        step_id: str,
        status: StepStatus = StepStatus.COMPLETED,
        *,
        error_message: Optional[str] = None,
        exit_code: Optional[int] = None,
    ) -> Step:
        if not status.finished:
            raise ValueError(f"end_step() needs a final status, not {status.value}")
        with self._lock:
            live = self._live_locked(run_id)
            if step_id not in live.steps:
                raise StepNotFound(run_id, step_id)
            if step_id in live.open_steps:
                live.open_steps.remove(step_id)
            changed = self._end_step_locked(live, step_id, status, self.clock(), error_message, exit_code)
            run = live.run
        self.bus.publish(changed)
        self.bus.publish(RunChanged(Change.UPDATED, run))
        return changed.step

    def _end_step_locked(
        self,
        live: _Live,
        step_id: str,
        status: StepStatus,
        now: float,
        error_message: Optional[str],
        exit_code: Optional[int] = None,
    ) -> StepChanged:
        step = live.steps[step_id]
        if not step.status.finished:
            step = dataclasses.replace(
                step, status=status, completed_at=now, error_message=error_message, exit_code=exit_code
            )
            live.steps[step_id] = step
        done = sum(1 for s in live.steps.values() if s.status is StepStatus.COMPLETED)
        live.run = dataclasses.replace(live.run, completed_steps=done)
        return StepChanged(live.run.id, step)

    # --- artifacts -----------------------------------------------------------------------------

    def add_artifact(self, artifact: Artifact) -> Artifact:
        """Record a stored file. A finished run may gain artifacts (an upload after the fact)."""
        with self._lock:
            live = self._live.get(artifact.run_id)
            run: Optional[Run] = None
            if live is not None:
                live.artifacts.append(artifact)
                run = live.run = dataclasses.replace(live.run, artifacts_count=len(live.artifacts))
        if live is None:
            record = self.store.get(artifact.run_id)
            if record is None:
                raise RunNotFound(artifact.run_id)
            run = dataclasses.replace(record.run, artifacts_count=len(record.artifacts) + 1)
        self.bus.publish(ArtifactAdded(artifact.run_id, artifact))
        assert run is not None
        self.bus.publish(RunChanged(Change.UPDATED, run))
        return artifact

    def delete_artifact(self, artifact: Artifact) -> None:
        self.bus.publish(ArtifactDeleted(artifact))

    # --- reading -------------------------------------------------------------------------------

    def get(self, run_id: str) -> Optional[RunRecord]:
        """The run with everything kept for it: live state for an unfinished run, else the store's."""
        with self._lock:
            live = self._live.get(run_id)
            if live is not None:
                return self._record_locked(live)
            recent = self._recent.get(run_id)
            if recent is not None:
                return recent
        return self.store.get(run_id)

    def run(self, run_id: str) -> Run:
        """The current snapshot of one run; RunNotFound when the history has no such run."""
        record = self.get(run_id)
        if record is None:
            raise RunNotFound(run_id)
        return record.run

    def list(self, query: RunQuery) -> Page:
        return self.store.list(query)

    def artifact(self, artifact_id: str) -> Optional[Artifact]:
        return self.store.artifact(artifact_id)

    def artifacts(self, query: ArtifactQuery) -> Page:
        return self.store.artifacts(query)

    def live(self) -> Tuple[Run, ...]:
        with self._lock:
            return tuple(live.run for live in self._live.values())

    def stats(self) -> StoreStats:
        return self.store.stats()

    def flush(self) -> concurrent.futures.Future[None]:
        """Resolves when everything recorded so far is durable."""
        return self.store.flush()

    # --- housekeeping --------------------------------------------------------------------------

    def delete(self, run_id: str) -> bool:
        """Forget a finished run. An unfinished run must be cancelled first (RunFinished is not it)."""
        with self._lock:
            live = self._live.get(run_id)
            if live is not None:
                raise ValueError(f"run {run_id} is still {live.run.status.value}; cancel it first")
        if self.store.get(run_id) is None:
            return False
        self.bus.publish(RunDeleted(run_id))
        return True

    def recover(self) -> List[Run]:
        """At start-up: runs the store has as pending or running died with the previous process."""
        recovered = []
        now = self.clock()
        for run in self.store.unfinished():
            with self._lock:
                if run.id in self._live:
                    continue
            ended = dataclasses.replace(
                run, status=RunStatus.FAILED, stop_reason=StopReason.RESTART, completed_at=now,
                error_message="the bridge stopped while this run was in progress (found at restart)",
            )
            self.bus.publish(RunChanged(Change.FINISHED, ended))
            recovered.append(ended)
        return recovered

    def prune(self, max_age_days: float, max_runs: int) -> List[str]:
        """Apply retention; returns the ids of the runs removed."""
        removed = self.store.prune(self.clock() - max_age_days * 86400, max_runs)
        for run_id in removed:
            self.bus.publish(RunDeleted(run_id))
        return removed

    @staticmethod
    def _record_locked(live: _Live) -> RunRecord:
        return RunRecord(
            run=live.run, output="".join(live.output), logs=tuple(live.logs),
            steps=tuple(live.steps.values()), artifacts=tuple(live.artifacts),
        )

    def _forget_recent(self, event: RunEvent) -> None:
        """Anything that happens to a finished run (a late artifact or log line, deletion) makes the
        store the only truth for it again."""
        if self._recent:
            run_id = run_id_of(event)
            if run_id is not None and (not isinstance(event, RunChanged) or event.change is not Change.FINISHED):
                with self._lock:
                    self._recent.pop(run_id, None)

    def _live_locked(self, run_id: str) -> _Live:
        live = self._live.get(run_id)
        if live is not None:
            return live
        record = self.store.get(run_id)
        if record is None:
            raise RunNotFound(run_id)
        raise RunFinished(record.run)

    def _flush_partial_locked(self, live: _Live, now: float) -> Optional[OutputAdded]:
        if not live.partial_line:
            return None
        step_id = live.open_steps[-1] if live.open_steps else None
        entry = LogEntry(now, LogLevel.INFO, live.partial_line, "stdout", step_id)
        live.partial_line = ""
        return OutputAdded(live.run.id, "", (entry,))
