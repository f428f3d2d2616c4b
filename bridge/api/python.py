"""/api/v1/python: editor jobs on the game thread (seed 001)."""
from __future__ import annotations

from typing import List

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from .._version import __version__
from ..editor.jobs import Job
from ..runs import Run, RunKind, RunQuery, RunRecord
from . import state
from .errors import job_not_found
from .http import json_response, parse_body, parse_query, requester
from .jobreply import job_reply, job_timeout
from .models import AcceptedReply, CancelReply, ExecuteReply, ExecuteRequest, InfoReply, JobDetailReply, JobListReply
from .openapi import RouteTable
from .views import job_detail, job_summary

table = RouteTable("python")
# The runs these routes show: editor Python and the named editor scripts, both run as editor jobs.
EDITOR_KINDS = (RunKind.EDITOR, RunKind.SCRIPT)


class JobQuery(BaseModel):
    """`?id=`: which job."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, description="job id returned by /execute")


@table.route(
    "POST", "/api/v1/python/execute",
    summary="Run Python on the editor's game thread, waiting for it or (async) as a job",
    body=ExecuteRequest, responses={200: ExecuteReply, 202: AcceptedReply},
)
async def execute(request: web.Request) -> web.Response:
    runner = request.app[state.RUNNER]
    settings = request.app[state.SETTINGS]
    body = await parse_body(request, ExecuteRequest)
    timeout = job_timeout(body.timeout, settings)
    job = runner.submit(
        Job(code=body.code, mode=body.mode, timeout=timeout, session_id=body.session_id, name=body.name),
        user=requester(request), tags=body.tags, metadata=body.metadata,
    )
    return await job_reply(runner, job, body.run_async, cancel_on_timeout=body.cancel_on_timeout)


def editor_runs(request: web.Request, limit: int) -> List[Run]:
    """The newest `limit` editor and script runs of the history, newest first, and every unfinished one."""
    history = request.app[state.HISTORY]
    runs = {run.id: run for kind in EDITOR_KINDS for run in history.list(RunQuery(limit=limit, kind=kind)).items}
    newest = sorted(runs.values(), key=lambda run: run.created_at, reverse=True)[:limit]
    shown = {run.id for run in newest}
    unfinished = [run for run in history.live() if run.kind in EDITOR_KINDS and run.id not in shown]
    return sorted([*newest, *unfinished], key=lambda run: run.created_at, reverse=True)


@table.route("GET", "/api/v1/python/jobs", summary="All jobs, newest first", responses={200: JobListReply})
async def list_jobs(request: web.Request) -> web.Response:
    runs = editor_runs(request, request.app[state.RUNNER].store.max_kept)
    return json_response(JobListReply(jobs=[job_summary(run) for run in runs]))


def _find_run(request: web.Request) -> RunRecord:
    job_id = parse_query(request, JobQuery).id
    record = request.app[state.HISTORY].get(job_id)
    if record is None or record.run.kind not in EDITOR_KINDS:
        raise job_not_found(job_id)
    return record


@table.route(
    "GET", "/api/v1/python/job", summary="One job with its output, logs, result and error",
    query=JobQuery, responses={200: JobDetailReply},
)
async def get_job(request: web.Request) -> web.Response:
    return json_response(JobDetailReply(job=job_detail(_find_run(request))))


@table.route(
    "DELETE", "/api/v1/python/job", summary="Cancel a pending or running job",
    query=JobQuery, responses={200: CancelReply, 202: CancelReply},
)
async def cancel_job(request: web.Request) -> web.Response:
    job_id = _find_run(request).run.id
    run = await request.app[state.RUNNER].cancel(job_id)
    if run.status.finished:
        return json_response(
            CancelReply(message=f"Job '{run.id}' has been cancelled", job_id=run.id, status=run.status.value)
        )
    return json_response(
        CancelReply(
            job_id=run.id, status=run.status.value,
            message=f"Cancellation of job '{run.id}' requested: it is inside a native call and stops at its "
                    "next Python bytecode",
        ),
        202,
    )


@table.route("GET", "/api/v1/python/info", summary="Which editor this is", responses={200: InfoReply})
async def info(request: web.Request) -> web.Response:
    editor = request.app[state.EDITOR_INFO]
    return json_response(
        InfoReply(
            engine_version=editor.engine_version,
            project_name=editor.project_name,
            project_dir=editor.project_dir,
            python_version=editor.python_version,
            bridge_version=__version__,
            pid=editor.pid,
            mock=editor.mock,
        )
    )


def setup(app: web.Application) -> None:
    state.register_routes(app, table)


__all__ = ["setup"]
