"""/api/execute, /api/runtimes, /api/health: the seed 004 sandbox API (local, or forwarded to a remote)."""

from __future__ import annotations

from typing import AsyncIterator, Optional, Union

from aiohttp import web

from ..containment import ContainmentInfo
from ..sandbox import (
    ExecuteRequest,
    ExecuteResponse,
    ExecutionTimedOut,
    HealthResponse,
    RuntimesResponse,
    SandboxBusy,
    SandboxError,
    SandboxRunner,
    SandboxSettings,
)
from ..sandbox.remote import RemoteSandbox
from . import recording, state
from .errors import ApiError, ErrorReply
from .http import json_response, parse_body, requester
from .openapi import RouteTable
from .recording import SANDBOX_RECORDER

Service = Union[SandboxRunner, RemoteSandbox]
SANDBOX: web.AppKey[Service] = web.AppKey("sandbox")
table = RouteTable("sandbox")


class TimeoutResponse(ErrorReply, ExecuteResponse):
    """The 408 body: the error fields (the seed's `detail` among them) plus everything captured before the kill."""


ERROR_CODES = {
    400: "INVALID_REQUEST",
    408: "EXECUTION_TIMEOUT",
    500: "EXECUTION_FAILED",
    503: "SANDBOX_UNAVAILABLE",
}


def get_sandbox(app: web.Application) -> Service:
    """The app's sandbox service; a clear error if `setup` was skipped."""
    try:
        return app[SANDBOX]
    except KeyError:
        raise RuntimeError("the app has no sandbox: call bridge.api.sandbox.setup(app) before starting it") from None


def _api_error(e: SandboxError) -> ApiError:
    headers = {"Retry-After": str(e.retry_after_s)} if isinstance(e, SandboxBusy) else None
    return ApiError(e.status, ERROR_CODES.get(e.status, "SANDBOX_ERROR"), e.detail, headers=headers)


async def _forward(service: RemoteSandbox, method: str, path: str, body: Optional[bytes] = None) -> web.Response:
    """The remote's reply as it is (status, body, Retry-After)."""
    try:
        status, reply, headers = await service.forward(method, path, body)
    except SandboxError as e:
        raise _api_error(e) from None
    return web.Response(body=reply, status=status, content_type="application/json", headers=headers)


@table.route(
    "POST",
    "/api/execute",
    summary="Run untrusted code in a sandbox (python, javascript, ruby, go, rust, java, c, cpp)",
    body=ExecuteRequest,
    responses={200: ExecuteResponse, 408: TimeoutResponse},
)
async def execute(request: web.Request) -> web.Response:
    service = get_sandbox(request.app)
    if isinstance(service, RemoteSandbox):
        return await _forward(service, "POST", "/api/execute", await request.read())
    body = await parse_body(request, ExecuteRequest)
    try:
        service.resolve(body)  # a request the sandbox refuses is not a run
    except SandboxError as e:
        raise _api_error(e) from None
    recorder = request.app[SANDBOX_RECORDER]
    with recorder.begin_sandbox(body, requester(request)) as run:
        try:
            result = await service.run(body)
        except ExecutionTimedOut as e:
            recorder.end_sandbox(run, e.result, body)
            reply = TimeoutResponse(error_code=ERROR_CODES[408], error=e.detail, detail=e.detail,
                                    **e.result.model_dump())
            return json_response(reply, 408)
        except SandboxError as e:
            run.fail(e)
            raise _api_error(e) from None
        recorder.end_sandbox(run, result, body)
    return json_response(result)


@table.route(
    "GET",
    "/api/runtimes",
    summary="Languages, versions, aliases and limits; why one is unavailable",
    responses={200: RuntimesResponse},
)
async def runtimes(request: web.Request) -> web.Response:
    service = get_sandbox(request.app)
    if isinstance(service, RemoteSandbox):
        return await _forward(service, "GET", "/api/runtimes")
    return json_response(service.runtimes())


async def health_report(app: web.Application) -> HealthResponse:
    """The seed 004 health of the sandbox (local or remote). The bridge's /api/health (api/monitor/health.py)
    sends it with the seed 003 fields beside; `ue-bridge sandbox-serve` sends it alone (health_table)."""
    service = get_sandbox(app)
    if isinstance(service, RemoteSandbox):
        remote = await service.health()
        ok = remote.get("status") == "healthy"
        return HealthResponse(
            status="healthy" if ok else "unhealthy",
            version=str(remote.get("version", "unknown")),
            isolation_available=bool(remote.get("isolation_available")),
            seccomp_filter=bool(remote.get("seccomp_filter")),
            cgroup_mode="remote",
            runtimes_found=list(remote.get("runtimes_found") or []),
            runs_in_flight=int(remote.get("runs_in_flight") or 0),
            runs_queued=int(remote.get("runs_queued") or 0),
            reason=None if ok else str(remote.get("reason")),
            containment=containment(app),
            remote=remote,
        )
    return service.health()


health_table = RouteTable("sandbox")


@health_table.route(
    "GET",
    "/api/health",
    summary="Sandbox health: isolation, cgroup mode, runtimes, runs in flight",
    responses={200: HealthResponse, 503: HealthResponse},
)
async def health(request: web.Request) -> web.Response:
    reply = await health_report(request.app)
    return json_response(reply, 200 if reply.status == "healthy" else 503)


def containment(app: web.Application) -> ContainmentInfo:
    """The sandbox's box as health reports it; a remote sandbox is described by its own /api/health."""
    service = get_sandbox(app)
    if isinstance(service, RemoteSandbox):
        return ContainmentInfo(available=True, box="remote", uid=None, seccomp_filter=False, cgroup_mode="remote",
                               network="unknown", proc_sys="unknown", no_new_privileges=False,
                               capabilities="unknown", reason=f"boxed by the remote sandbox at {service.url}")
    return service.containment()


def make_service(settings: SandboxSettings) -> Service:
    """A remote client when `sandbox_url` is set, else the local runner."""
    if settings.sandbox_url:
        return RemoteSandbox(settings.sandbox_url, settings.sandbox_token, settings.remote_timeout_s)
    return SandboxRunner(settings)


def setup(app: web.Application, settings: Optional[SandboxSettings] = None, *, serve_health: bool = True) -> None:
    """Add the sandbox routes and start/stop the sandbox (and its warm pools) with the app. `serve_health=False`:
    /api/health is served by whoever calls health_report() (the bridge: api/monitor/health.py)."""

    service = make_service(settings if settings is not None else app[state.SETTINGS].sandbox)
    app[SANDBOX] = service

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        await service.start()
        try:
            yield
        finally:
            await service.close()

    app.cleanup_ctx.append(lifecycle)
    state.register_routes(app, table)
    recording.setup_sandbox(app)
    if serve_health:
        state.register_routes(app, health_table)
