"""Editor runs as the /api/v1/python routes show them (seed 001's job shapes), built from the history."""
from __future__ import annotations

import time
from typing import Any, Dict, List, Sequence

from ..editor.runner import MODE_KEY
from ..runs import LogEntry, LogLevel, Run, RunKind, RunRecord, RunStatus, StopReason
from ..timefmt import iso
from .models import ExecuteReply, JobDetail, JobSummary, LogEntryModel

# Seed 001 calls an editor job's kind "python"; the other kinds keep their own names.
_KIND_NAMES = {RunKind.EDITOR: "python"}
# The reply models know three levels; a debug line reads as info.
_LEVEL_NAMES = {LogLevel.DEBUG: "info"}


def job_kind(kind: RunKind) -> str:
    return _KIND_NAMES.get(kind, kind.value)


def job_duration_ms(run: Run) -> float:
    """The final duration of a finished run, the duration so far of a running one."""
    if run.duration_ms is not None:
        return run.duration_ms
    if run.started_at is None:
        return 0.0
    # A run ended by a restart has an end but no measured duration.
    end = run.completed_at if run.completed_at is not None else time.time()
    return round(max(end - run.started_at, 0.0) * 1000, 3)


def timed_out(run: Run) -> bool:
    return run.stop_reason is StopReason.TIMEOUT


def job_logs(entries: Sequence[LogEntry]) -> List[LogEntryModel]:
    # Engine-log lines are added after the run ends, stamped with when the engine wrote them.
    ordered = sorted(entries, key=lambda entry: entry.time)
    return [
        LogEntryModel.model_validate(
            {"time": iso(e.time), "level": _LEVEL_NAMES.get(e.level, e.level.value), "message": e.message}
        )
        for e in ordered
    ]


def job_summary(run: Run) -> JobSummary:
    return JobSummary.model_validate({
        "id": run.id,
        "status": run.status.value,
        "name": run.name,
        "kind": job_kind(run.kind),
        "created_at": iso(run.created_at),
        "started_at": iso(run.started_at),
        "ended_at": iso(run.completed_at),
        "duration_ms": job_duration_ms(run),
    })


def _error_fields(run: Run) -> Dict[str, Any]:
    return {"error_type": run.error_type, "traceback": run.traceback}


def job_detail(record: RunRecord) -> JobDetail:
    """Seed 001's detail shape: `ended_at` only once finished, `error` only when failed."""
    run = record.run
    detail: Dict[str, Any] = {
        "id": run.id,
        "status": run.status.value,
        "name": run.name,
        "kind": job_kind(run.kind),
        "mode": str(run.metadata.get(MODE_KEY, "exec")),
        "session_id": run.session_id,
        "timeout": run.timeout if run.timeout is not None else 0.0,
        "output": record.output,
        "output_truncated": run.output_truncated,
        "logs": job_logs(record.logs),
        "result": run.result,
        "duration_ms": job_duration_ms(run),
        "created_at": iso(run.created_at),
        "started_at": iso(run.started_at),
        "timed_out": timed_out(run),
    }
    if run.status.finished:
        detail["ended_at"] = iso(run.completed_at)
    if run.error_message is not None:
        if run.status is RunStatus.FAILED:
            detail["error"] = run.error_message
        detail.update(_error_fields(run))
    return JobDetail.model_validate(detail)


def execute_reply(record: RunRecord) -> ExecuteReply:
    """The synchronous execute reply: `success` is true only for a completed job."""
    run = record.run
    reply: Dict[str, Any] = {
        "success": run.status is RunStatus.COMPLETED,
        "job_id": run.id,
        "status": run.status.value,
        "output": record.output,
        "output_truncated": run.output_truncated,
        "logs": job_logs(record.logs),
        "result": run.result,
        "duration_ms": job_duration_ms(run),
        "timed_out": timed_out(run),
    }
    if run.error_message is not None:
        reply["error"] = run.error_message
        reply.update(_error_fields(run))
    return ExecuteReply.model_validate(reply)
