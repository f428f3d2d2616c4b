"""Jobs as the API shows them, built as the reply models the OpenAPI document describes."""
from __future__ import annotations

from typing import Any, Dict, List

from ..editor.jobs import Job, JobStatus
from ..timefmt import iso
from .models import ExecuteReply, JobDetail, JobSummary, LogEntryModel


def job_output(job: Job) -> str:
    """The output so far: live while the job runs, final once it has finished."""
    capture = job.capture
    if capture is not None and not job.status.finished:
        return capture.output
    return job.output


def job_logs(job: Job) -> List[LogEntryModel]:
    capture = job.capture
    entries = capture.logs if capture is not None and not job.status.finished else job.logs
    return [LogEntryModel.model_validate({"time": iso(e.time), "level": e.level, "message": e.message})
            for e in list(entries)]


def job_summary(job: Job) -> JobSummary:
    return JobSummary.model_validate({
        "id": job.id,
        "status": job.status.value,
        "name": job.name,
        "kind": job.kind,
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "ended_at": iso(job.ended_at),
        "duration_ms": job.elapsed_ms(),
    })


def job_detail(job: Job) -> JobDetail:
    """Seed 001's detail shape: `ended_at` only once finished, `error` only when failed."""
    detail: Dict[str, Any] = {
        "id": job.id,
        "status": job.status.value,
        "name": job.name,
        "kind": job.kind,
        "mode": job.mode,
        "session_id": job.session_id,
        "timeout": job.timeout,
        "output": job_output(job),
        "output_truncated": job.output_truncated,
        "logs": job_logs(job),
        "result": job.result,
        "duration_ms": job.elapsed_ms(),
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "timed_out": job.timed_out,
    }
    if job.status.finished:
        detail["ended_at"] = iso(job.ended_at)
    if job.error is not None:
        if job.status is JobStatus.FAILED:
            detail["error"] = job.error
        detail["error_type"] = job.error_type
        detail["traceback"] = job.traceback
    return JobDetail.model_validate(detail)


def execute_reply(job: Job) -> ExecuteReply:
    """The synchronous execute reply: `success` is true only for a completed job."""
    reply: Dict[str, Any] = {
        "success": job.status is JobStatus.COMPLETED,
        "job_id": job.id,
        "status": job.status.value,
        "output": job_output(job),
        "output_truncated": job.output_truncated,
        "logs": job_logs(job),
        "result": job.result,
        "duration_ms": job.elapsed_ms(),
        "timed_out": job.timed_out,
    }
    if job.error is not None:
        reply["error"] = job.error
        reply["error_type"] = job.error_type
        reply["traceback"] = job.traceback
    return ExecuteReply.model_validate(reply)
