"""/api/v1/python: editor jobs on the game thread (seed 001)."""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import List, Union

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from .._version import __version__
from ..editor.jobs import Job
from ..editor.sources import (
    SOURCE_KEY,
    FileNotFound,
    FileSource,
    ModuleSource,
    PathNotAllowed,
    ProjectFolders,
    SourceRefused,
)
from ..runs import Run, RunKind, RunQuery, RunRecord
from . import state
from .errors import ApiError, invalid_request, job_not_found, missing_field
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
    metadata = dict(body.metadata)
    if body.code is not None and body.file is None and body.module is None:
        if body.args:
            raise invalid_request("args are for a `file` or `module` run; `code` reads no sys.argv of its own")
        job = Job(code=body.code, mode=body.mode, timeout=timeout, session_id=body.session_id, name=body.name)
    else:
        # The file system is asked where the file is (and which plugins there are): off the event loop.
        source = await asyncio.get_running_loop().run_in_executor(None, _source, request, body)
        metadata[SOURCE_KEY] = source.describe()
        job = Job(code=source.command, call=source.run, timeout=timeout, name=body.name or source.command[:200])
    job = runner.submit(job, user=requester(request), tags=body.tags, metadata=metadata)
    return await job_reply(runner, job, body.run_async, cancel_on_timeout=body.cancel_on_timeout)


def _source(request: web.Request, body: ExecuteRequest) -> Union[FileSource, ModuleSource]:
    """The file or module a request names; 400 when it gives none or several, or a file that may not run."""
    given = [name for name in ("code", "file", "module") if getattr(body, name) is not None]
    if not given:
        raise missing_field("code")
    if len(given) > 1:
        raise invalid_request(f"give exactly one of code, file and module; got {' and '.join(given)}")
    if body.mode != "exec" or body.session_id is not None:
        raise invalid_request(f"mode and session_id are for `code`; a {given[0]} runs in its own globals")
    args = tuple(body.args)
    if body.module is not None:
        return ModuleSource(body.module, args)
    assert body.file is not None
    folders = ProjectFolders.of(Path(request.app[state.EDITOR_INFO].project_dir),
                                request.app[state.SETTINGS].python.paths, list(sys.path))
    try:
        path = folders.resolve(body.file)
    except PathNotAllowed as exc:
        raise ApiError(400, "PATH_NOT_ALLOWED", str(exc)) from None
    except FileNotFound as exc:
        raise ApiError(400, "FILE_NOT_FOUND", str(exc)) from None
    except SourceRefused as exc:
        raise invalid_request(str(exc)) from None
    return FileSource(path, args, folders.package_module(path))


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
