"""/api/v1/execute*, /api/v1/sessions*: the trace backend over HTTP and Server-Sent Events (seed 000)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any, AsyncIterator, Dict, Optional, Type

from aiohttp import web
from aiohttp_sse import sse_response
from pydantic import BaseModel, ConfigDict, Field

from ..editor.sessions import SESSION_ID_PATTERN
from ..trace import Outcome, Session, SessionNotFound, SessionStore, TraceRunError, TraceRunner, TraceSettings
from ..trace.models import (
    MAX_STEPS,
    SimpleTraceReply,
    TraceReply,
    TraceRequest,
    TraceSessionDeleted,
    TraceSessionDetail,
    TraceSessionList,
    TraceSessionSummary,
)
from . import recording, socketio, state
from .errors import ApiError, missing_parameter
from .http import DECIMAL_DIGITS, QueryInt, json_response, parse_body, parse_path, parse_query, requester
from .openapi import RouteTable
from .recording import TRACE_RECORDER, RunCancelled

TRACE_RUNNER = web.AppKey("trace_runner", TraceRunner)
TRACE_SESSIONS = web.AppKey("trace_sessions", SessionStore)
DISCONNECT_POLL_S = 0.2

table = RouteTable("trace")
StepLimit = Annotated[int, Field(ge=1, le=MAX_STEPS), DECIMAL_DIGITS]


class StreamQuery(BaseModel):
    """The query of /execute/stream: the program, or a stored session to run again."""

    model_config = ConfigDict(extra="forbid")

    code: Optional[str] = Field(None, description="program to run; optional when session_id names a stored session")
    user_input: Optional[str] = Field(None, description="answers for input(), one per line (default: the session's)")
    max_steps: Optional[StepLimit] = Field(None, description=f"step limit, 1-{MAX_STEPS} (default: setting "
                                                               "default_max_steps)")
    session_id: Optional[str] = Field(None, pattern=SESSION_ID_PATTERN,
                                      description="a stored session: its code is re-run (or `code` replaces it)")


class PageQuery(BaseModel):
    """`?limit=&offset=` of a listing."""

    model_config = ConfigDict(extra="forbid")

    limit: QueryInt = Field(20, ge=1, le=200, description="page size")
    offset: QueryInt = Field(0, ge=0, le=1_000_000, description="sessions to skip")


class SessionPath(BaseModel):
    """`{session_id}` in the path."""

    session_id: str = Field(pattern=SESSION_ID_PATTERN, description="the id a run replied with")


def session_not_found(session_id: str) -> ApiError:
    return ApiError(404, "SESSION_NOT_FOUND", f"Session '{session_id}' not found (it may have expired)")


def run_error(exc: TraceRunError) -> ApiError:
    return ApiError(exc.status, exc.code, str(exc))


def cancelled_error(exc: RunCancelled) -> ApiError:
    return ApiError(409, "RUN_CANCELLED", str(exc))


def open_session(sessions: SessionStore, session_id: Optional[str]) -> Session:
    """The session a request names (404 when unknown), or a new one."""
    try:
        return sessions.open(session_id)
    except SessionNotFound:
        raise session_not_found(session_id or "") from None


async def run_program(request: web.Request, body: TraceRequest, trace: bool) -> Session:
    """Run the request's program and store the outcome in its session."""
    runner, sessions = request.app[TRACE_RUNNER], request.app[TRACE_SESSIONS]
    session = open_session(sessions, body.session_id)
    traced = trace and body.options.trace
    try:
        steps = runner.check(body.code, body.options.max_steps)
    except TraceRunError as exc:
        raise run_error(exc) from None
    recorder = request.app[TRACE_RECORDER]
    with recorder.begin_trace(body.code, session_id=session.session_id, transport="http", traced=traced,
                              max_steps=steps, user=requester(request)) as run:
        try:
            outcome = await run.run(runner.run(
                body.code, body.user_input, trace=traced, max_steps=steps,
                breakpoints=body.options.breakpoints, allowed_modules=body.options.allowed_modules,
            ))
        except RunCancelled as exc:
            raise cancelled_error(exc) from None
        except TraceRunError as exc:
            run.fail(exc)
            raise run_error(exc) from None
        recorder.end_trace(run, outcome)
    return sessions.record(session, body.code, body.user_input, outcome)


@table.route("POST", "/api/v1/execute", summary="Run Python step by step: every OPT trace step",
             body=TraceRequest, responses={200: TraceReply})
async def execute(request: web.Request) -> web.Response:
    body = await parse_body(request, TraceRequest)
    session = await run_program(request, body, trace=True)
    return traced_reply(TraceReply, session.reply())


@table.route("POST", "/api/v1/execute/simple", summary="Run Python untraced: the same reply minus steps",
             body=TraceRequest, responses={200: SimpleTraceReply})
async def execute_simple(request: web.Request) -> web.Response:
    body = await parse_body(request, TraceRequest)
    session = await run_program(request, body, trace=False)
    return json_response(SimpleTraceReply(**session.reply(with_steps=False)))


def traced_reply(model: Type[TraceReply], body: Dict[str, Any]) -> web.Response:
    """`body` shaped by its model; the steps, already JSON from the worker, are sent as they are."""
    steps = body.pop("steps")
    reply = model(**body, steps=[]).model_dump(mode="json")
    reply["steps"] = steps
    return json_response(reply)


@table.route("GET", "/api/v1/execute/stream", summary="Server-Sent Events: `step` per step as produced, then "
             "`complete`", query=StreamQuery, responses={200: None}, content_type="text/event-stream")
async def execute_stream(request: web.Request) -> web.StreamResponse:
    runner, sessions = request.app[TRACE_RUNNER], request.app[TRACE_SESSIONS]
    query = parse_query(request, StreamQuery)
    if query.code is None and query.session_id is None:
        raise missing_parameter("code")
    session = open_session(sessions, query.session_id)
    code = session.code if query.code is None else query.code
    user_input: Any = query.user_input if query.user_input is not None else (
        session.user_input if query.session_id else "")
    try:
        max_steps = runner.check(code, query.max_steps)
    except TraceRunError as exc:
        raise run_error(exc) from None
    recorder = request.app[TRACE_RECORDER]
    with recorder.begin_trace(code, session_id=session.session_id, transport="sse", traced=True,
                              max_steps=max_steps, user=requester(request)) as recorded:
        async with sse_response(request) as resp:

            async def send_step(step: bytes) -> None:
                await resp.send(step.decode(), event="step")

            run = recorded.track(asyncio.ensure_future(
                runner.run(code, user_input, max_steps=max_steps, on_step=send_step)))
            async with _cancel_on_disconnect(request, run):
                await asyncio.wait({run})
            if run.cancelled() or isinstance(run.exception(), ConnectionError):
                recorded.cancelled()
                if recorded.cancel_requested and not _gone(request):
                    await resp.send(cancelled_error(RunCancelled(recorded.run_id)).body().model_dump_json(),
                                    event="error")
                return resp  # the client went away (its worker is already killed), or the run was cancelled
            failure = run.exception()
            if isinstance(failure, TraceRunError):
                recorded.fail(failure)
                await resp.send(run_error(failure).body().model_dump_json(), event="error")
                return resp
            if failure is not None:
                raise failure
            recorder.end_trace(recorded, run.result())
            sessions.record(session, code, user_input, run.result())
            await resp.send(SimpleTraceReply(**session.reply(with_steps=False)).model_dump_json(), event="complete")
    return resp


def _gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


@contextlib.asynccontextmanager
async def _cancel_on_disconnect(request: web.Request, run: asyncio.Future[Outcome]) -> AsyncIterator[None]:
    # aiohttp does not cancel handlers when the client goes away, and a sleeping program sends nothing
    # that would fail; so watch the transport and stop the worker ourselves.
    async def watch() -> None:
        while not run.done():
            if _gone(request):
                run.cancel()
                return
            await asyncio.sleep(DISCONNECT_POLL_S)

    watcher = asyncio.ensure_future(watch())
    try:
        yield
    finally:
        watcher.cancel()
        if not run.done():
            run.cancel()
        await asyncio.wait({run})


@table.route("GET", "/api/v1/sessions", summary="Trace sessions, newest first", query=PageQuery,
             responses={200: TraceSessionList})
async def list_sessions(request: web.Request) -> web.Response:
    query = parse_query(request, PageQuery)
    page, total = request.app[TRACE_SESSIONS].page(query.limit, query.offset)
    return json_response(TraceSessionList(sessions=[TraceSessionSummary(**s.summary()) for s in page],
                                          total=total, limit=query.limit, offset=query.offset))


@table.route("GET", "/api/v1/sessions/{session_id}", summary="One session with the steps of its last run",
             path_params=SessionPath, responses={200: TraceSessionDetail})
async def get_session(request: web.Request) -> web.Response:
    session_id = parse_path(request, SessionPath).session_id
    try:
        session = request.app[TRACE_SESSIONS].get(session_id)
    except SessionNotFound:
        raise session_not_found(session_id) from None
    return traced_reply(TraceSessionDetail, session.detail())


@table.route("DELETE", "/api/v1/sessions/{session_id}", summary="Delete a session",
             path_params=SessionPath, responses={200: TraceSessionDeleted})
async def delete_session(request: web.Request) -> web.Response:
    session_id = parse_path(request, SessionPath).session_id
    try:
        request.app[TRACE_SESSIONS].delete(session_id)
    except SessionNotFound:
        raise session_not_found(session_id) from None
    return json_response(TraceSessionDeleted(session_id=session_id))


def trace_settings(app: web.Application) -> TraceSettings:
    """The `trace` section of the app settings."""
    return state.get(app, state.SETTINGS).trace


async def _trace_backend(app: web.Application) -> AsyncIterator[None]:
    runner = app[TRACE_RUNNER]
    await runner.start()
    yield
    await runner.close()


def setup(app: web.Application) -> None:
    """Add the trace routes, the Socket.IO server, the worker pool's lifecycle and the runs' recording."""
    settings = trace_settings(app)
    app[TRACE_RUNNER] = TraceRunner(settings)
    app[TRACE_SESSIONS] = SessionStore(settings.max_sessions, settings.session_ttl_s)
    state.register_routes(app, table)
    app.cleanup_ctx.append(_trace_backend)
    recorder = recording.setup_trace(app)
    socketio.setup(app, app[TRACE_RUNNER], app[TRACE_SESSIONS], recorder)
