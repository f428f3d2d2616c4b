"""Wiring the engine-log tail into the app: follow the file while the app serves, attach to finished runs."""
from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator, Optional

from aiohttp import web

from ..editor.logtail import EngineLogTail, FinishedRunAttacher
from ..editor.runner import JobRunner
from . import state


def attach_engine_log(app: web.Application, runner: JobRunner, path: Optional[Path]) -> None:
    """Tail `path` while the app serves and add its lines to each finished editor run. No-op for None."""
    if path is None:
        return
    tail = EngineLogTail(path)
    attacher = FinishedRunAttacher(tail, runner.history)

    async def watching(app: web.Application) -> AsyncIterator[None]:
        tail.start()
        unsubscribe = runner.history.bus.subscribe(attacher.on_event)
        yield
        unsubscribe()
        tail.stop()

    app.cleanup_ctx.append(watching)
    app.cleanup_ctx.append(state.background_task(lambda app: attacher.run()))


__all__ = ["attach_engine_log"]
