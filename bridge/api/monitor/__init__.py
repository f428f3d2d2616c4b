"""The monitor (seed 003): every run of the history as executions, artifacts, health, and live events.

`setup(app)` adds /api/executions, /api/artifacts, /api/health(/*) and /api/ws, the command runner
(POST /api/executions) and the WebSocket hub, each started and stopped with the app.
"""
from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator

from aiohttp import web

from ...commands import CommandRunner
from ...runs import RunKind
from .. import state
from . import artifacts, executions, health, ws
from .envelope import envelope_errors
from .hub import EventHub
from .keys import COMMAND_RUNNER, EVENT_HUB


def setup(app: web.Application) -> None:
    settings = app[state.SETTINGS]
    history = app[state.HISTORY]
    runner = CommandRunner(history, settings.history, Path(app[state.EDITOR_INFO].project_dir))
    app[COMMAND_RUNNER] = runner
    app[state.RUN_CONTROL].register(RunKind.COMMAND, runner.cancel)
    hub = EventHub(history)
    app[EVENT_HUB] = hub

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        hub.start()
        try:
            yield
        finally:
            await runner.close()

    async def close_hub(app: web.Application) -> None:
        await hub.close()  # on shutdown, before aiohttp waits for the open WebSockets' handlers to end

    app.cleanup_ctx.append(lifecycle)
    app.on_shutdown.append(close_hub)
    # Outermost: every error of a monitor route gets the seed's envelope, whichever middleware refused it.
    app.middlewares.insert(0, envelope_errors)
    for table in (executions.table, artifacts.table, health.table):
        state.register_routes(app, table)
    ws.setup(app)


__all__ = ["COMMAND_RUNNER", "EVENT_HUB", "setup"]
