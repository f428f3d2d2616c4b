"""The history of every run: the run model, its events, the stores, retention, steps and artifacts.

No HTTP and no `unreal` here: the editor, the tracer, the sandbox and commands record into a
RunHistory; api/ reads it.
"""
from __future__ import annotations

from .events import EventBus, RunEvent
from .history import RunFinished, RunHistory, RunNotFound, StepNotFound
from .model import (
    Artifact,
    ArtifactQuery,
    ArtifactType,
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
)
from .store import MemoryStore, RunStore, StoreStats

__all__ = [
    "Artifact", "ArtifactQuery", "ArtifactType", "EventBus", "LogEntry", "LogLevel", "MemoryStore", "Page",
    "Run", "RunEvent", "RunFinished", "RunHistory", "RunKind", "RunNotFound", "RunQuery", "RunRecord",
    "RunStatus", "RunStore", "Step", "StepNotFound", "StepStatus", "StopReason", "StoreStats",
]
