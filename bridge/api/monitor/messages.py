"""The seed 003 WebSocket messages `{type, data, timestamp}`, made from the history's events."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from ...runs import Run, RunStatus
from ...runs.events import (
    ArtifactAdded,
    Change,
    LogAdded,
    OutputAdded,
    RunChanged,
    RunEvent,
    StepChanged,
)
from ...timefmt import iso
from .envelope import now_iso
from .shapes import download_url, step_out

Message = Dict[str, Any]


def message(kind: str, data: Dict[str, Any]) -> Message:
    return {"type": kind, "data": data, "timestamp": now_iso()}


def error_message(error_code: str, error_message: str, execution_id: Optional[str] = None) -> Message:
    return message("error", {"execution_id": execution_id, "error_message": error_message,
                             "error_code": error_code, "timestamp": now_iso()})


def messages_for(event: RunEvent, first_line: int = 0) -> List[Message]:
    """What viewers see of one event (often nothing). `first_line`: the index, within the run's printed
    output, of the event's first line, sent as `line` so a client that read the output first can skip
    the lines it already has."""
    if isinstance(event, RunChanged):
        return _run_changed(event)
    if isinstance(event, OutputAdded):
        return [
            message("log_entry", {"execution_id": event.run_id, "step_id": entry.step_id, "content": entry.message,
                                  "timestamp": iso(entry.time), "level": entry.level.value, "stream": entry.stream,
                                  "line": first_line + number})
            for number, entry in enumerate(event.lines)
        ]
    if isinstance(event, LogAdded):
        entry = event.entry
        return [message("log_entry", {"execution_id": event.run_id, "step_id": entry.step_id,
                                      "content": entry.message, "timestamp": iso(entry.time),
                                      "level": entry.level.value, "stream": entry.stream, "line": None})]
    if isinstance(event, StepChanged):
        return [message("step_update", {"execution_id": event.run_id,
                                        "step": step_out(event.step).model_dump(mode="json")})]
    if isinstance(event, ArtifactAdded):
        artifact = event.artifact
        return [message("artifact_created", {"execution_id": event.run_id, "artifact": {
            "id": artifact.id, "name": artifact.name, "file_name": artifact.file_name,
            "download_url": download_url(artifact.id), "file_size": artifact.file_size,
            "mime_type": artifact.mime_type, "artifact_type": artifact.artifact_type.value,
            "step_id": artifact.step_id,
        }})]
    return []


def _run_changed(event: RunChanged) -> List[Message]:
    run = event.run
    started = event.change is Change.STARTED or (event.change is Change.CREATED and run.status is RunStatus.RUNNING)
    if started:
        return [message("execution_started", {"execution_id": run.id, "name": run.name, "command": run.command,
                                              "started_at": iso(run.started_at), "kind": run.kind.value})]
    if event.change is Change.FINISHED:
        ended = [] if run.status is not RunStatus.FAILED else [
            error_message("EXECUTION_ERROR", run.error_message or "the execution failed", run.id)
        ]
        return [*ended, completed_message(run)]
    return []


def completed_message(run: Run) -> Message:
    return message("execution_completed", {
        "execution_id": run.id, "status": run.status.value, "exit_code": run.exit_code,
        "completed_at": iso(run.completed_at), "duration_seconds": run.duration_seconds,
        "total_steps": run.total_steps, "artifacts_count": run.artifacts_count,
        "error_message": run.error_message, "stop_reason": None if run.stop_reason is None else run.stop_reason.value,
    })
