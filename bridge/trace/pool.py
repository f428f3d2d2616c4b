"""A small pool of pre-started workers: a request never waits for interpreter start-up when one is idle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, AsyncIterator, List, Optional, Set

from ..containment import BoxHost
from .errors import WorkerUnavailable
from .lending import lend, take_within
from .settings import TraceSettings
from .worker import Worker, WorkerStartError

CLOSE_TIMEOUT_S = 5.0

log = logging.getLogger(__name__)


class WorkerPool:
    """Keeps `pool_size` idle workers; each one serves a single program and is replaced in the background."""

    def __init__(self, settings: TraceSettings, host: BoxHost):
        self.settings = settings
        self.host = host
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._busy: Set[Worker] = set()
        self._spawning: Set[asyncio.Task[None]] = set()
        self._killing: Set[asyncio.Future[None]] = set()
        self._closed = False
        self.last_error: Optional[str] = None  # why the last worker failed to start, for the 503

    async def start(self) -> None:
        """Begin filling the pool; returns at once."""
        for _ in range(self.settings.pool_size):
            self._spawn()

    def _spawn(self) -> None:
        if self._closed:
            return
        task = asyncio.ensure_future(self._start_one())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def _start_one(self) -> None:
        for attempt in range(3):
            try:
                worker = await Worker.start(self.settings, self.host)
            except WorkerStartError as exc:
                self.last_error = str(exc)
                log.warning("tracer worker failed to start (attempt %d): %s", attempt + 1, exc)
                if self._closed:
                    return
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            if self._closed:
                await worker.kill()
            else:
                self._idle.put_nowait(worker)
            return

    @contextlib.asynccontextmanager
    async def worker(self) -> AsyncIterator[Worker]:
        """A ready worker for one program; it is killed on exit and a replacement is started."""
        if self._closed:
            raise WorkerUnavailable("the trace backend is shut down")
        async with lend(await self._take(), self._busy, self._killing) as worker:
            yield worker

    async def _take(self) -> Worker:
        while True:
            if not self.settings.pool_size:
                self._spawn()  # no pool: start one worker per request
            worker = await take_within(self._idle, self.settings.worker_start_timeout_s)
            if worker is None:
                wait = self.settings.worker_start_timeout_s
                why = f" (the last start failed: {self.last_error})" if self.last_error else ""
                raise WorkerUnavailable(f"no tracer worker started within {wait:g} s; try again{why}")
            if self.settings.pool_size:
                self._spawn()  # replace it right away, so the next request finds one ready
            if worker.alive:
                return worker
            await worker.kill()

    async def close(self) -> None:
        """Stop spawning and kill every worker, idle or busy."""
        self._closed = True
        # Spawning workers are left to finish (each then sees `_closed` and kills itself) rather than
        # cancelled: cancelling asyncio's create_subprocess_exec half-way leaks the pipes it is still
        # connecting (CPython 3.11), which surface later as unclosed-transport warnings.
        idle = []
        while not self._idle.empty():
            idle.append(self._idle.get_nowait())
        kills = [asyncio.ensure_future(worker.kill()) for worker in [*idle, *self._busy]]
        pending: List[asyncio.Future[Any]] = [*self._spawning, *kills, *self._killing]
        if pending:
            # Shutdown must end: a worker cancelled half-way through its start can leave a wait that
            # never resolves. What is left is killed with the bridge (--die-with-parent, own process group).
            _, stuck = await asyncio.wait(pending, timeout=CLOSE_TIMEOUT_S)
            for future in stuck:
                future.cancel()
            if stuck:
                log.warning("tracer pool: %d worker(s) did not stop within %g s", len(stuck), CLOSE_TIMEOUT_S)
