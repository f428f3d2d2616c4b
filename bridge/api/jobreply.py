"""The reply to a submitted editor job, shared by /python/execute and /scripts/{name}/run."""
from __future__ import annotations

from typing import Optional

from aiohttp import web

from ..config import Settings
from ..editor.jobs import Job
from ..editor.runner import JobRunner
from .errors import invalid_request
from .http import json_response
from .models import AcceptedReply
from .views import execute_reply


def job_timeout(requested: Optional[float], settings: Settings) -> float:
    """The request's timeout within the `max_timeout` setting, or the `default_timeout` setting."""
    if requested is None:
        return settings.default_timeout
    if requested > settings.max_timeout:
        raise invalid_request(f"timeout must be between 0 and {settings.max_timeout:g} seconds, got {requested:g}")
    return requested


async def job_reply(runner: JobRunner, job: Job, run_async: bool) -> web.Response:
    """Async: 202 with the job id. Sync: wait; 200 with the outcome, or 202 if it cannot be stopped yet."""
    if run_async:
        return json_response(AcceptedReply(job_id=job.id, status=job.status.value), 202)
    if not await runner.wait(job):
        return json_response(
            AcceptedReply(
                success=False,
                job_id=job.id,
                status=job.status.value,
                timed_out=True,
                message=(
                    f"the job ran past its {job.timeout:g} s timeout and could not be interrupted yet "
                    "(it is inside a native call); it stops at its next Python bytecode: "
                    f"poll GET /api/v1/python/job?id={job.id}"
                ),
            ),
            202,
        )
    return json_response(execute_reply(job))
