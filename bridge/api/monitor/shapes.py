"""The seed 003 execution, step and artifact objects, made from the history's Run, Step and Artifact."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from ...runs import Artifact, LogEntry, Run, Step
from ...runs.artifacts import ArtifactFiles
from ...timefmt import iso

RunStatusName = Literal["pending", "running", "completed", "failed", "cancelled"]
RunKindName = Literal["editor", "script", "trace", "sandbox", "command"]
StepStatusName = Literal["pending", "running", "completed", "failed", "skipped"]
ArtifactTypeName = Literal["document", "image", "data", "log", "archive", "other"]
StopReasonName = Literal["timeout", "cancel", "shutdown", "memory", "output_limit", "restart"]


class Shape(BaseModel):
    # Every field is always sent (null when unset), so the document marks them all required.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class ExecutionOut(Shape):
    """A run of any kind as the seed's execution; `kind` and `stop_reason` are the bridge's own."""

    id: str
    name: Optional[str]
    command: str = Field(description="the command line; for editor and script runs, the code or script call")
    working_directory: Optional[str]
    status: RunStatusName
    exit_code: Optional[int]
    error_message: Optional[str]
    created_at: str
    started_at: Optional[str]
    completed_at: Optional[str]
    environment: Dict[str, str]
    user: str
    tags: List[str]
    total_steps: int
    completed_steps: int
    current_step_index: Optional[int]
    duration_seconds: Optional[float]
    progress_percentage: float
    metadata: Dict[str, Any]
    kind: RunKindName = Field(description="editor, script, trace, sandbox or command")
    stop_reason: Optional[StopReasonName] = Field(description="why it was stopped from outside, if it was")


class StepOut(Shape):
    id: str
    execution_id: str
    name: str
    description: Optional[str]
    index: int
    status: StepStatusName
    exit_code: Optional[int]
    error_message: Optional[str]
    created_at: str
    started_at: Optional[str]
    completed_at: Optional[str]
    estimated_duration: Optional[float]
    stop_on_error: bool
    duration_seconds: Optional[float]
    metadata: Dict[str, Any]


class ArtifactOut(Shape):
    id: str
    execution_id: str
    step_id: Optional[str]
    name: str
    description: Optional[str]
    file_path: str = Field(description="where the file is kept, relative to the bridge's data directory")
    file_name: str
    file_size: int
    mime_type: str
    artifact_type: ArtifactTypeName
    created_at: str
    tags: List[str]
    is_public: bool
    retention_days: int
    download_url: str


class LogEntryOut(Shape):
    timestamp: str
    level: Literal["debug", "info", "warning", "error"]
    content: str
    stream: str = Field(description="stdout, stderr or log (unreal.log*, workflow lines)")
    step_id: Optional[str]


def execution_out(run: Run) -> ExecutionOut:
    return ExecutionOut(
        id=run.id, name=run.name, command=run.command, working_directory=run.working_directory,
        status=run.status.value, exit_code=run.exit_code, error_message=run.error_message,
        created_at=iso(run.created_at) or "", started_at=iso(run.started_at), completed_at=iso(run.completed_at),
        environment=dict(run.environment), user=run.user, tags=list(run.tags), total_steps=run.total_steps,
        completed_steps=run.completed_steps, current_step_index=run.current_step_index,
        duration_seconds=run.duration_seconds, progress_percentage=run.progress_percentage,
        metadata=dict(run.metadata), kind=run.kind.value,
        stop_reason=None if run.stop_reason is None else run.stop_reason.value,
    )


def step_out(step: Step) -> StepOut:
    return StepOut(
        id=step.id, execution_id=step.run_id, name=step.name, description=step.description, index=step.index,
        status=step.status.value, exit_code=step.exit_code, error_message=step.error_message,
        created_at=iso(step.created_at) or "", started_at=iso(step.started_at), completed_at=iso(step.completed_at),
        estimated_duration=step.estimated_duration, stop_on_error=step.stop_on_error,
        duration_seconds=step.duration_seconds, metadata=dict(step.metadata),
    )


def download_url(artifact_id: str) -> str:
    return f"/api/artifacts/{artifact_id}/download"


def artifact_file_path(artifact: Artifact, files: Optional[ArtifactFiles]) -> str:
    """The stored file relative to the data directory: a client never learns the host's layout above it."""
    if files is None:
        return f"artifacts/{artifact.sha256[:2]}/{artifact.sha256[2:]}"
    stored = files.path_of(artifact)
    try:
        return stored.relative_to(files.root.parent).as_posix()
    except ValueError:
        return Path(files.root.name, stored.relative_to(files.root)).as_posix()


def artifact_out(artifact: Artifact, files: Optional[ArtifactFiles]) -> ArtifactOut:
    return ArtifactOut(
        id=artifact.id, execution_id=artifact.run_id, step_id=artifact.step_id, name=artifact.name,
        description=artifact.description, file_path=artifact_file_path(artifact, files),
        file_name=artifact.file_name, file_size=artifact.file_size, mime_type=artifact.mime_type,
        artifact_type=artifact.artifact_type.value, created_at=iso(artifact.created_at) or "",
        tags=list(artifact.tags), is_public=artifact.is_public, retention_days=artifact.retention_days,
        download_url=download_url(artifact.id),
    )


def log_entry_out(entry: LogEntry) -> LogEntryOut:
    return LogEntryOut(timestamp=iso(entry.time) or "", level=entry.level.value, content=entry.message,
                       stream=entry.stream, step_id=entry.step_id)
