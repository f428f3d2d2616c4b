"""Typed application state: one AppKey per shared service, and accessors that fail loudly."""
from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import AsyncIterator, Awaitable, Callable, List, TypeVar

from aiohttp import web

from ..config import Settings
from ..editor.runner import JobRunner
from ..runs import RunHistory
from ..runs.artifacts import ArtifactFiles
from ..runs.control import RunControl
from .metrics import Metrics
from .openapi import RouteDoc, RouteTable


@dataclass(frozen=True)
class EditorInfo:
    """Who the editor is, read once on the game thread at start-up."""

    engine_version: str
    project_name: str
    project_dir: str
    python_version: str
    pid: int
    mock: bool


@dataclass
class ServerClock:
    started: float = field(default_factory=time.monotonic)



SETTINGS = web.AppKey("settings", Settings)
RUNNER = web.AppKey("runner", JobRunner)
METRICS = web.AppKey("metrics", Metrics)
EDITOR_INFO = web.AppKey("editor_info", EditorInfo)
CLOCK = web.AppKey("clock", ServerClock)
HISTORY = web.AppKey("history", RunHistory)
RUN_CONTROL = web.AppKey("run_control", RunControl)
ARTIFACT_FILES = web.AppKey("artifact_files", ArtifactFiles)
ROUTE_DOCS: web.AppKey[List[RouteDoc]] = web.AppKey("route_docs")

T = TypeVar("T")


def background_task(
    start: Callable[[web.Application], Awaitable[None]],
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup_ctx that runs `start(app)` as a task while the app serves, and cancels it on stop."""

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.ensure_future(start(app))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return lifecycle


def register_routes(app: web.Application, table: RouteTable) -> None:
    """Add a route group and its documentation to the app."""
    app.add_routes(table.routes)
    app[ROUTE_DOCS].extend(table.docs)


def get(app: web.Application, key: web.AppKey[T]) -> T:
    """`app[key]`, with a message that names the missing set-up instead of a bare KeyError."""
    try:
        return app[key]
    except KeyError:
        raise RuntimeError(
            f"the bridge app has no {key!r}: build it with bridge.api.server.create_app()"
        ) from None
