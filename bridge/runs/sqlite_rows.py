"""Runs, steps, logs and artifacts to SQLite rows and back: enums as their values, mappings and tuples as
JSON text, times as REAL epoch seconds."""
from __future__ import annotations

import json
import sqlite3
from typing import Any, Optional, Tuple

from .model import Artifact, ArtifactType, LogEntry, LogLevel, Run, RunKind, RunStatus, Step, StepStatus, StopReason

RUN_COLUMNS: Tuple[str, ...] = (
    "id", "kind", "created_at", "name", "command", "working_directory", "environment", "user", "tags",
    "metadata", "session_id", "timeout", "status", "stop_reason", "exit_code", "error_message", "error_type",
    "traceback", "result", "started_at", "completed_at", "duration_ms", "output_truncated", "logs_dropped",
    "progress", "total_steps", "completed_steps", "current_step_index", "artifacts_count",
)
STEP_COLUMNS: Tuple[str, ...] = (
    "id", "run_id", "name", "index", "created_at", "description", "status", "exit_code", "error_message",
    "started_at", "completed_at", "estimated_duration", "stop_on_error", "metadata",
)
ARTIFACT_COLUMNS: Tuple[str, ...] = (
    "id", "run_id", "step_id", "name", "file_name", "file_size", "mime_type", "sha256", "created_at",
    "artifact_type", "description", "tags", "is_public", "retention_days",
)
LOG_COLUMNS: Tuple[str, ...] = ("time", "level", "message", "stream", "step_id")


def quoted(columns: Tuple[str, ...], prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{column}"' for column in columns)


def upsert_sql(table: str, columns: Tuple[str, ...]) -> str:
    """Insert, or update every column but the id in place (the row keeps its seq, so its place in the list)."""
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "id")
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({quoted(columns)}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}"


def to_json(value: Any) -> str:
    # Most runs have no environment, tags or metadata: written with every change of every run.
    if not value and type(value) in (dict, list):
        return "{}" if type(value) is dict else "[]"
    # default=str: a Path or a datetime in metadata is kept as its text rather than losing the run.
    # ensure_ascii: a lone surrogate becomes an escape SQLite can store, and comes back as it was.
    return json.dumps(value, separators=(",", ":"), default=str)


def _json_or_none(value: Any) -> Optional[str]:
    return None if value is None else to_json(value)


def _from_json(text: Optional[str]) -> Any:
    return None if text is None else json.loads(text)


def _enum_value(value: Any) -> Optional[str]:
    return None if value is None else str(value.value)


def run_row(run: Run) -> Tuple[Any, ...]:
    return (
        run.id, run.kind.value, run.created_at, run.name, run.command, run.working_directory,
        to_json(dict(run.environment)), run.user, to_json(list(run.tags)), to_json(dict(run.metadata)),
        run.session_id, run.timeout, run.status.value, _enum_value(run.stop_reason), run.exit_code,
        run.error_message, run.error_type, run.traceback, _json_or_none(run.result), run.started_at,
        run.completed_at, run.duration_ms, int(run.output_truncated), run.logs_dropped, run.progress,
        run.total_steps, run.completed_steps, run.current_step_index, run.artifacts_count,
    )


def run_from_row(row: sqlite3.Row) -> Run:
    stop_reason = row["stop_reason"]
    return Run(
        id=row["id"], kind=RunKind(row["kind"]), created_at=row["created_at"], name=row["name"],
        command=row["command"], working_directory=row["working_directory"],
        environment=json.loads(row["environment"]), user=row["user"], tags=tuple(json.loads(row["tags"])),
        metadata=json.loads(row["metadata"]), session_id=row["session_id"], timeout=row["timeout"],
        status=RunStatus(row["status"]), stop_reason=None if stop_reason is None else StopReason(stop_reason),
        exit_code=row["exit_code"], error_message=row["error_message"], error_type=row["error_type"],
        traceback=row["traceback"], result=_from_json(row["result"]), started_at=row["started_at"],
        completed_at=row["completed_at"], duration_ms=row["duration_ms"],
        output_truncated=bool(row["output_truncated"]), logs_dropped=row["logs_dropped"],
        progress=row["progress"], total_steps=row["total_steps"], completed_steps=row["completed_steps"],
        current_step_index=row["current_step_index"], artifacts_count=row["artifacts_count"],
    )


def step_row(step: Step) -> Tuple[Any, ...]:
    return (
        step.id, step.run_id, step.name, step.index, step.created_at, step.description, step.status.value,
        step.exit_code, step.error_message, step.started_at, step.completed_at, step.estimated_duration,
        int(step.stop_on_error), to_json(dict(step.metadata)),
    )


def step_from_row(row: sqlite3.Row) -> Step:
    return Step(
        id=row["id"], run_id=row["run_id"], name=row["name"], index=row["index"], created_at=row["created_at"],
        description=row["description"], status=StepStatus(row["status"]), exit_code=row["exit_code"],
        error_message=row["error_message"], started_at=row["started_at"], completed_at=row["completed_at"],
        estimated_duration=row["estimated_duration"], stop_on_error=bool(row["stop_on_error"]),
        metadata=json.loads(row["metadata"]),
    )


def artifact_row(artifact: Artifact) -> Tuple[Any, ...]:
    return (
        artifact.id, artifact.run_id, artifact.step_id, artifact.name, artifact.file_name, artifact.file_size,
        artifact.mime_type, artifact.sha256, artifact.created_at, artifact.artifact_type.value,
        artifact.description, to_json(list(artifact.tags)), int(artifact.is_public), artifact.retention_days,
    )


def artifact_from_row(row: sqlite3.Row) -> Artifact:
    return Artifact(
        id=row["id"], run_id=row["run_id"], step_id=row["step_id"], name=row["name"], file_name=row["file_name"],
        file_size=row["file_size"], mime_type=row["mime_type"], sha256=row["sha256"], created_at=row["created_at"],
        artifact_type=ArtifactType(row["artifact_type"]), description=row["description"],
        tags=tuple(json.loads(row["tags"])), is_public=bool(row["is_public"]), retention_days=row["retention_days"],
    )


def log_row(run_id: str, entry: LogEntry) -> Tuple[Any, ...]:
    return (run_id, entry.time, entry.level.value, entry.message, entry.stream, entry.step_id)


def log_from_row(row: sqlite3.Row) -> LogEntry:
    return LogEntry(
        time=row["time"], level=LogLevel(row["level"]), message=row["message"], stream=row["stream"],
        step_id=row["step_id"],
    )
