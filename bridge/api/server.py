"""create_app(): the aiohttp application with its middlewares, services and route groups."""
from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator, Callable, Optional

from aiohttp import web

from .. import api
from ..config import Settings
from ..editor.errors import EditorError, JobAlreadyFinished, JobNotFound
from ..editor.runner import JobRunner
from ..runs import RunHistory, RunKind
from ..runs.control import Canceller, CannotCancel, RunControl
from . import mock, state, ui
from .editor_errors import api_error
from .errors import HTTP_STATUS_CODES, ApiError
from .http import json_response
from .metrics import Metrics
from .openapi import Handler
from .security import check_request, cors_headers, read_body
from .state import EditorInfo, ServerClock

log = logging.getLogger("bridge")


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        # An unknown route or a wrong method is answered first: the body checks of the middlewares after
        # this one (Content-Type, size) would otherwise hide a 405 behind a 415. OPTIONS goes on: no route
        # takes it, and security_middleware answers the CORS preflights of allowed origins.
        routing_error = request.match_info.http_exception
        if routing_error is not None and request.method != "OPTIONS":
            raise routing_error
        return await handler(request)
    except ApiError as exc:
        return json_response(exc.body(), exc.status, exc.headers)
    except EditorError as exc:
        error = api_error(exc)
        return json_response(error.body(), error.status, error.headers)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = HTTP_STATUS_CODES.get(exc.status, "HTTP_ERROR")
        error = ApiError(exc.status, code, _http_error_message(request, exc))
        headers = {k: v for k, v in exc.headers.items() if k.lower() in ("allow", "retry-after")}
        return json_response(error.body(), exc.status, headers)
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        log.exception("unhandled error in %s %s", request.method, request.path)
        error = ApiError(500, "INTERNAL_ERROR", "internal error in the bridge; the editor log has the traceback")
        return json_response(error.body(), 500)


def _http_error_message(request: web.Request, exc: web.HTTPException) -> str:
    if exc.status == 404:
        return f"no route {request.method} {request.path}; GET /api/openapi.json lists them"
    if exc.status == 405:
        return f"{request.method} is not allowed on {request.path}; allowed: {exc.headers.get('Allow', '')}"
    if exc.status == 413:
        return f"request body is larger than the {request.client_max_size} byte limit (setting max_body_bytes)"
    return exc.reason or exc.text or "HTTP error"


@web.middleware
async def security_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    settings = request.app[state.SETTINGS]
    check_request(request, settings)
    cors = cors_headers(request, settings)
    if request.method == "OPTIONS" and cors is not None:
        return web.Response(status=204, headers=cors)
    await read_body(request, settings)
    response = await handler(request)
    if cors is not None and not response.prepared:
        response.headers.update(cors)
    return response


@web.middleware
async def metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        route = request.match_info.route.resource
        name = route.canonical if route is not None else "unmatched"
        request.app[state.METRICS].http_requests.labels(name, request.method, str(status)).inc()


def editor_canceller(runner: JobRunner) -> Canceller:
    """How RunControl stops an editor or script run: True once it has stopped (on its own or not)."""

    async def cancel(run_id: str) -> bool:
        try:
            run = await runner.cancel(run_id)
        except JobAlreadyFinished:
            return True
        except JobNotFound:
            raise CannotCancel(f"run {run_id} is not a job of this editor") from None
        return run.status.finished

    return cancel


def _runner_lifecycle(runner: JobRunner, metrics: Metrics) -> Callable[[web.Application], AsyncIterator[None]]:
    """While the app serves: the runner's watchdog runs, and metrics count the runs that finish."""

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        unsubscribe = runner.history.bus.subscribe(metrics.on_run_event)
        runner.start()
        yield
        runner.close()
        unsubscribe()

    return lifecycle


def create_app(
    settings: Settings,
    runner: JobRunner,
    editor_info: EditorInfo,
    metrics: Metrics,
    history: Optional[RunHistory] = None,
) -> web.Application:
    """The whole bridge API as one aiohttp application (not yet started). `history`, when given,
    must be the runner's own: the routes read what the runner records."""
    if history is not None and history is not runner.history:
        raise ValueError("create_app() needs the runner's own history: pass runner.history or nothing")
    history = runner.history
    app = web.Application(
        client_max_size=settings.max_body_bytes,
        middlewares=[metrics_middleware, error_middleware, security_middleware],
    )
    app[state.SETTINGS] = settings
    app[state.RUNNER] = runner
    app[state.METRICS] = metrics
    app[state.EDITOR_INFO] = editor_info
    app[state.CLOCK] = ServerClock()
    app[state.HISTORY] = history
    app[state.RUN_CONTROL] = control = RunControl()
    for kind in (RunKind.EDITOR, RunKind.SCRIPT):
        control.register(kind, editor_canceller(runner))
    app[state.ROUTE_DOCS] = []
    metrics.watch(lambda: history.stats().by_status, lambda: len(runner.tickqueue))
    app.cleanup_ctx.append(_runner_lifecycle(runner, metrics))
    api.setup_all(app)
    ui.setup(app)
    mock.setup(app)
    return app
