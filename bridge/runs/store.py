"""RunStore, what every store of the history does, and MemoryStore, the one tests and benchmarks use.

A store is a subscriber of RunHistory's events: it applies them (in order) and answers queries.
It never decides anything about a run; the history does.
"""
from __future__ import annotations

import concurrent.futures
import threading
from dataclasses import dataclass
from typing import Dict, List, Optional, Protocol

from .events import (
    ArtifactAdded,
    ArtifactDeleted,
    LogAdded,
    OutputAdded,
    RunChanged,
    RunDeleted,
    RunEvent,
    StepChanged,
)
from .model import Artifact, ArtifactQuery, LogEntry, Page, Run, RunQuery, RunRecord, RunStatus, Step


@dataclass(frozen=True)
class StoreStats:
    """What `/api/health/database` and `/api/health/metrics` report."""

    backend: str  # "memory" or "sqlite"
    path: Optional[str]
    size_bytes: int
    wal_mode: bool
    runs: int
    steps: int
    artifacts: int
    by_status: Dict[str, int]
    oldest_created_at: Optional[float]
    newest_created_at: Optional[float]
    cache_size: int = 0
    cache_hit_ratio: Optional[float] = None


class RunStore(Protocol):
    def apply(self, event: RunEvent) -> None:
        """Record one event. Must not block: the game thread calls it."""

    def flush(self) -> concurrent.futures.Future[None]:
        """Resolves once every event applied so far is durable (survives kill -9)."""

    def get(self, run_id: str) -> Optional[RunRecord]: ...

    def list(self, query: RunQuery) -> Page: ...

    def artifact(self, artifact_id: str) -> Optional[Artifact]: ...

    def artifacts(self, query: ArtifactQuery) -> Page: ...

    def artifact_references(self, sha256: str) -> int:
        """How many artifacts, of any run, hold this content: its file is kept while one does."""

    def unfinished(self) -> List[Run]:
        """Runs recorded as pending or running: after a restart, the ones that died with the bridge."""

    def prune(self, finished_before: float, keep: int) -> List[str]:
        """Delete finished runs that ended before `finished_before`, then all but the newest `keep`
        finished runs; returns the deleted run ids. Pending and running runs are never pruned."""

    def expired_artifacts(self, now: float) -> List[Artifact]:
        """Artifacts older than their own `retention_days`."""

    def stats(self) -> StoreStats: ...

    def optimize(self) -> List[str]:
        """Maintenance (ANALYZE, checkpoint...); returns what was done, in words."""

    def close(self) -> None: ...


def _done() -> concurrent.futures.Future[None]:
    future: concurrent.futures.Future[None] = concurrent.futures.Future()
    future.set_result(None)
    return future


class MemoryStore:
    """Everything in dicts, applied at once; lost with the process."""

    def __init__(self) -> None:
        self._runs: Dict[str, Run] = {}  # insertion order = creation order
        self._output: Dict[str, List[str]] = {}
        self._logs: Dict[str, List[LogEntry]] = {}
        self._steps: Dict[str, Dict[str, Step]] = {}
        self._artifacts: Dict[str, Artifact] = {}
        self._lock = threading.Lock()

    def apply(self, event: RunEvent) -> None:
        with self._lock:
            if isinstance(event, RunChanged):
                run = event.run
                self._runs[run.id] = run
                self._output.setdefault(run.id, [])
                self._logs.setdefault(run.id, [])
                self._steps.setdefault(run.id, {})
            elif isinstance(event, OutputAdded):
                if event.run_id in self._output:
                    self._output[event.run_id].append(event.text)
            elif isinstance(event, LogAdded):
                if event.run_id in self._logs:
                    self._logs[event.run_id].append(event.entry)
            elif isinstance(event, StepChanged):
                if event.run_id in self._steps:
                    self._steps[event.run_id][event.step.id] = event.step
            elif isinstance(event, ArtifactAdded):
                self._artifacts[event.artifact.id] = event.artifact
            elif isinstance(event, ArtifactDeleted):
                self._artifacts.pop(event.artifact.id, None)
            elif isinstance(event, RunDeleted):
                self._delete_locked(event.run_id)

    def flush(self) -> concurrent.futures.Future[None]:
        return _done()

    def get(self, run_id: str) -> Optional[RunRecord]:
        with self._lock:
            run = self._runs.get(run_id)
            if run is None:
                return None
            return RunRecord(
                run=run,
                output="".join(self._output.get(run_id, ())),
                logs=tuple(self._logs.get(run_id, ())),
                steps=tuple(sorted(self._steps.get(run_id, {}).values(), key=lambda s: s.index)),
                artifacts=tuple(a for a in self._artifacts.values() if a.run_id == run_id),
            )

    def list(self, query: RunQuery) -> Page:
        with self._lock:
            matching = [run for run in reversed(self._runs.values()) if _matches(run, query)]
        return Page(tuple(matching[query.offset:query.offset + query.limit]), len(matching), query.offset)

    def artifact(self, artifact_id: str) -> Optional[Artifact]:
        with self._lock:
            return self._artifacts.get(artifact_id)

    def artifacts(self, query: ArtifactQuery) -> Page:
        with self._lock:
            matching = [a for a in reversed(self._artifacts.values()) if _artifact_matches(a, query)]
        return Page(tuple(matching[query.offset:query.offset + query.limit]), len(matching), query.offset)

    def artifact_references(self, sha256: str) -> int:
        with self._lock:
            return sum(1 for a in self._artifacts.values() if a.sha256 == sha256)

    def unfinished(self) -> List[Run]:
        with self._lock:
            return [run for run in self._runs.values() if not run.status.finished]

    def prune(self, finished_before: float, keep: int) -> List[str]:
        with self._lock:
            finished = [run for run in self._runs.values() if run.status.finished]
            doomed = [run.id for run in finished if (run.completed_at or run.created_at) < finished_before]
            survivors = [run for run in finished if run.id not in set(doomed)]
            if len(survivors) > keep:
                doomed += [run.id for run in survivors[: len(survivors) - keep]]
            for run_id in doomed:
                self._delete_locked(run_id)
        return doomed

    def expired_artifacts(self, now: float) -> List[Artifact]:
        with self._lock:
            return [a for a in self._artifacts.values() if a.created_at + a.retention_days * 86400 < now]

    def stats(self) -> StoreStats:
        with self._lock:
            runs = list(self._runs.values())
            by_status = {status.value: 0 for status in RunStatus}
            for run in runs:
                by_status[run.status.value] += 1
            return StoreStats(
                backend="memory", path=None, size_bytes=0, wal_mode=False, runs=len(runs),
                steps=sum(len(steps) for steps in self._steps.values()), artifacts=len(self._artifacts),
                by_status=by_status,
                oldest_created_at=min((r.created_at for r in runs), default=None),
                newest_created_at=max((r.created_at for r in runs), default=None),
            )

    def optimize(self) -> List[str]:
        return []

    def close(self) -> None:
        pass

    def _delete_locked(self, run_id: str) -> None:
        self._runs.pop(run_id, None)
        self._output.pop(run_id, None)
        self._logs.pop(run_id, None)
        self._steps.pop(run_id, None)
        for artifact_id in [a.id for a in self._artifacts.values() if a.run_id == run_id]:
            del self._artifacts[artifact_id]


def _matches(run: Run, query: RunQuery) -> bool:
    return (
        (query.status is None or run.status is query.status)
        and (query.user is None or run.user == query.user)
        and (query.kind is None or run.kind is query.kind)
        and (query.tag is None or query.tag in run.tags)
        and (query.session_id is None or run.session_id == query.session_id)
        and (query.text is None or _contains_text(run, query.text))
    )


# SQLite's LIKE folds the case of ASCII letters only: the memory store matches exactly what the SQLite one does.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _contains_text(run: Run, text: str) -> bool:
    wanted = text.translate(_ASCII_LOWER)
    return (wanted in (run.name or "").translate(_ASCII_LOWER) or wanted in run.command.translate(_ASCII_LOWER)
            or run.id.startswith(wanted))


def _artifact_matches(artifact: Artifact, query: ArtifactQuery) -> bool:
    return (
        (query.run_id is None or artifact.run_id == query.run_id)
        and (query.step_id is None or artifact.step_id == query.step_id)
        and (query.artifact_type is None or artifact.artifact_type is query.artifact_type)
    )

