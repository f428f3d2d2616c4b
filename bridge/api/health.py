"""Liveness, readiness and Prometheus metrics."""
from __future__ import annotations

import asyncio
import time
from typing import Optional

from aiohttp import web
from pydantic import BaseModel, Field

from .._version import __version__
from ..containment import ContainmentInfo
from . import state
from .http import json_response
from .metrics import CONTENT_TYPE
from .openapi import RouteTable
from .sandbox import containment as sandbox_containment
from .trace import TRACE_RUNNER

table = RouteTable("health")


class EditorState(BaseModel):
    mock: bool
    ticking: bool
    busy: bool
    last_tick_age_ms: Optional[float]
    queue_depth: int


class ContainmentState(BaseModel):
    trace: ContainmentInfo = Field(description="the tracer's workers (/api/v1/execute*, Socket.IO)")
    sandbox: ContainmentInfo = Field(description="the sandbox's runs (/api/execute)")


class HealthReply(BaseModel):
    status: str
    version: str
    uptime_seconds: float
    editor: EditorState
    containment: ContainmentState = Field(description="what boxes every untrusted run, per backend")


class ReadyReply(BaseModel):
    ready: bool
    reason: Optional[str] = None


def editor_state(app: web.Application) -> EditorState:
    runner = app[state.RUNNER]
    since = runner.tickqueue.seconds_since_tick()
    return EditorState(
        mock=app[state.EDITOR_INFO].mock,
        ticking=runner.ticking(),
        busy=runner.interrupter.current is not None,
        last_tick_age_ms=None if since is None else round(since * 1000, 1),
        queue_depth=len(runner.tickqueue),
    )


@table.route("GET", "/api/v1/health", summary="Liveness: 200 while the server runs", responses={200: HealthReply})
async def health(request: web.Request) -> web.Response:
    uptime = time.monotonic() - request.app[state.CLOCK].started
    app = request.app
    boxes = ContainmentState(trace=app[TRACE_RUNNER].containment(), sandbox=sandbox_containment(app))
    reply = HealthReply(status="ok", version=__version__, uptime_seconds=round(uptime, 3),
                        editor=editor_state(app), containment=boxes)
    return json_response(reply)


@table.route(
    "GET", "/api/v1/ready", summary="Readiness: 200 only while the game thread ticks",
    responses={200: ReadyReply, 503: ReadyReply},
)
async def ready(request: web.Request) -> web.Response:
    runner = request.app[state.RUNNER]
    current = runner.interrupter.current
    if current is not None:
        reason = f"busy: job {current.id} has been running for {current.elapsed_ms() / 1000:.1f} s"
        return json_response(ReadyReply(ready=False, reason=reason), 503)
    if not runner.ticking():
        reason = runner.stall_reason() or "the game thread has not ticked yet"
        return json_response(ReadyReply(ready=False, reason=reason), 503)
    return json_response(ReadyReply(ready=True))


@table.route("GET", "/api/v1/metrics", summary="Prometheus metrics", responses={200: None},
             content_type="text/plain")
async def metrics(request: web.Request) -> web.Response:
    # The runs gauge counts the whole history: off the event loop.
    body = await asyncio.get_running_loop().run_in_executor(None, request.app[state.METRICS].render)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})


def setup(app: web.Application) -> None:
    state.register_routes(app, table)
