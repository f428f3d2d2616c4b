"""The reply to a submitted editor job, shared by /python/execute and /scripts/{name}/run."""
from __future__ import annotations

from typing import Optional

from aiohttp import web

from ..config import Settings
from ..editor.jobs import Job
from ..editor.runner import JobRunner
from ..runs import RunNotFound, RunStatus
from .errors import invalid_request
from .http import durable, json_response
from .models import AcceptedReply
from .views import execute_reply


def job_timeout(requested: Optional[float], settings: Settings) -> float:
    """The request's timeout within the `max_timeout` setting, or the `default_timeout` setting."""
    if requested is None:
        return settings.default_timeout
    if requested > settings.max_timeout:
        raise invalid_request(f"timeout must be between 0 and {settings.max_timeout:g} seconds, got {requested:g}")
    return requested


async def job_reply(runner: JobRunner, job: Job, run_async: bool, *, cancel_on_timeout: bool = False) -> web.Response:
    """Async: 202 with the job id. Sync: wait; 200 with the outcome, or 202 when the call's timeout
    passed with the job still queued, or running and not stoppable yet."""
    if run_async:
        accepted = AcceptedReply(job_id=job.id, status=job.status.value)  # as submitted, before it may start
        await durable(runner.history)
        return json_response(accepted, 202)
    run = await runner.wait(job, cancel_on_timeout=cancel_on_timeout)
    poll = f"poll GET /api/v1/python/job?id={job.id}"
    await durable(runner.history)
    if run.status is RunStatus.PENDING:
        message = (
            f"the job waited its whole {job.timeout:g} s timeout in the queue behind other jobs and has not "
            f"started; it runs when its turn comes (send cancel_on_timeout: true to cancel it instead): {poll}"
        )
        return json_response(
            AcceptedReply(success=False, job_id=job.id, status="pending", timed_out=True, message=message), 202
        )
    if not run.status.finished:
        message = (
            f"the job ran past its {job.timeout:g} s timeout and could not be interrupted yet "
            f"(it is inside a native call); it stops at its next Python bytecode: {poll}"
        )
        return json_response(
            AcceptedReply(success=False, job_id=job.id, status=run.status.value, timed_out=True, message=message),
            202,
        )
    record = runner.history.get(job.id)
    if record is None:
        raise RunNotFound(job.id)  # pruned within the same request: a bug, answered as a 500
    return json_response(execute_reply(record))
