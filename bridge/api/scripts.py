"""/api/v1/scripts: named editor scripts with typed parameters, run as editor jobs."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Dict, List, Optional

from aiohttp import web
from pydantic import BaseModel, Field

from ..editor.jobs import Job
from ..runs import RunKind
from ..scripts.convert import to_json
from ..scripts.registry import Script, ScriptParamsError, ScriptRegistry, builtin_scripts_dir
from ..scripts.watch import ScriptWatcher
from . import state
from .errors import ApiError, invalid_request
from .http import json_response, parse_body, parse_path, requester
from .jobreply import job_reply, job_timeout
from .models import MAX_TIMEOUT_S, TIMEOUT_DESCRIPTION, AcceptedReply, ExecuteReply, RunOptions
from .openapi import RouteTable

SCRIPTS = web.AppKey("scripts", ScriptRegistry)
table = RouteTable("scripts")


class ScriptModel(BaseModel):
    name: str
    description: str = Field(description="the first paragraph of the function's docstring")
    parameters: Dict[str, Any] = Field(description="JSON schema of the parameters, from the type hints")
    source: str = Field(description="the file the script was loaded from")
    error: Optional[str] = Field(
        None, description="why the script could not be loaded; it cannot run until fixed"
    )


class ScriptListReply(BaseModel):
    success: bool = True
    scripts: List[ScriptModel]
    directories: List[str] = Field(description="where scripts are looked for; later override earlier")


class ScriptReply(BaseModel):
    success: bool = True
    script: ScriptModel


class ScriptRunRequest(RunOptions):

    params: Dict[str, Any] = Field(default_factory=dict, description="the function's parameters by name")
    run_async: bool = Field(False, alias="async", description="reply 202 at once with the job id")
    timeout: Optional[float] = Field(None, gt=0, le=MAX_TIMEOUT_S, description=TIMEOUT_DESCRIPTION)


class ScriptPath(BaseModel):
    """`{name}` in the path."""

    name: str = Field(min_length=1, description="the script's name: its file name without .py")


def script_view(script: Script) -> ScriptModel:
    return ScriptModel(
        name=script.name,
        description=script.description,
        parameters=script.parameters,
        source=str(script.source),
        error=script.error,
    )


def get_registry(app: web.Application) -> ScriptRegistry:
    return state.get(app, SCRIPTS)


def _find_script(request: web.Request) -> Script:
    name = parse_path(request, ScriptPath).name
    script = get_registry(request.app).get(name)
    if script is None:
        raise ApiError(
            404, "SCRIPT_NOT_FOUND", f"no script named '{name}'; GET /api/v1/scripts lists the available ones"
        )
    return script


@table.route(
    "GET", "/api/v1/scripts", summary="Named editor scripts with their parameter schemas",
    responses={200: ScriptListReply},
)
async def list_scripts(request: web.Request) -> web.Response:
    registry = get_registry(request.app)
    return json_response(
        ScriptListReply(scripts=[script_view(script) for script in registry.list()],
                        directories=[str(d) for d in registry.dirs])
    )


@table.route(
    "GET", "/api/v1/scripts/{name}", summary="One named script with its parameter schema",
    path_params=ScriptPath, responses={200: ScriptReply},
)
async def get_script(request: web.Request) -> web.Response:
    return json_response(ScriptReply(script=script_view(_find_script(request))))


def script_call(script: Script, kwargs: Dict[str, Any]) -> Callable[[], Any]:
    """What the game thread runs: the function, its return value made JSON-compatible."""
    function = script.function
    assert function is not None
    return lambda: to_json(function(**kwargs))


@table.route(
    "POST", "/api/v1/scripts/{name}/run",
    summary="Run a named script on the game thread, waiting for it or (async) as a job",
    body=ScriptRunRequest, path_params=ScriptPath, responses={200: ExecuteReply, 202: AcceptedReply},
)
async def run_script(request: web.Request) -> web.Response:
    script = _find_script(request)
    body = await parse_body(request, ScriptRunRequest)
    timeout = job_timeout(body.timeout, request.app[state.SETTINGS])
    if not script.loaded:
        raise ApiError(
            409, "SCRIPT_NOT_LOADED",
            f"script '{script.name}' failed to load: {script.error}; "
            f"fix {script.source} (it reloads on save)",
        )
    try:
        kwargs = script.validate(body.params)
    except ScriptParamsError as exc:
        raise invalid_request(str(exc)) from None
    job = Job(
        code=script.describe_call(kwargs), kind=RunKind.SCRIPT, name=script.name, timeout=timeout,
        call=script_call(script, kwargs),
    )
    runner = request.app[state.RUNNER]
    runner.submit(job, user=requester(request), tags=body.tags, metadata=body.metadata)
    return await job_reply(runner, job, body.run_async, cancel_on_timeout=body.cancel_on_timeout)


async def _scripts_lifecycle(app: web.Application) -> AsyncIterator[None]:
    registry = get_registry(app)
    await asyncio.get_running_loop().run_in_executor(None, registry.reload)
    watcher = ScriptWatcher(registry)
    watcher.start()
    yield
    watcher.stop()


def setup(app: web.Application) -> None:
    settings = app[state.SETTINGS]
    project_dir = Path(app[state.EDITOR_INFO].project_dir)
    # Relative folders are the project's (the editor's working directory is the engine's); `/` keeps
    # absolute ones as they are.
    extra = [project_dir / d.expanduser() for d in settings.scripts.dirs]
    app[SCRIPTS] = ScriptRegistry([builtin_scripts_dir(), *extra])
    app.cleanup_ctx.append(_scripts_lifecycle)
    state.register_routes(app, table)


__all__ = ["SCRIPTS", "get_registry", "setup"]
