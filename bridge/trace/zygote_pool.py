"""Zygote boxes, each serving one run at a time: a run pays a fork, not an interpreter start and a box.

Up to `max_concurrent_runs` boxes; `pool_size` of them start with the backend and more when runs
overlap. Each run gets a child of an idle box in a cgroup of its own (made while the box was idle),
and the box goes back to idle only once that cgroup is empty and removed: no process of one run
can ever share a box with the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, AsyncIterator, Coroutine, List, Optional, Set, Tuple

from ..containment import BoxHost, ContainedProcess, ContainmentUnavailable
from ..containment.cgroups import RunCgroup
from .errors import WorkerUnavailable
from .forked import fork_worker, settle_all
from .launch import worker_limits
from .lending import lend, take_within
from .settings import TraceSettings
from .worker import Worker
from .zygote import ZygoteBox, ZygoteStartError

CLOSE_TIMEOUT_S = 5.0
RUNS_PER_ZYGOTE = 1000  # then the box is replaced: bounds what a long-lived zygote could accumulate

log = logging.getLogger(__name__)


class ZygotePool:
    """The zygote boxes of the trace backend; `worker()` is WorkerPool's interface.

    An idle box holds one child already forked, boxed and in its run's cgroup: a run only sends it the program.
    """

    def __init__(self, settings: TraceSettings, host: BoxHost):
        self.settings = settings
        self.host = host
        self._idle: asyncio.Queue[Tuple[ZygoteBox, Worker]] = asyncio.Queue()
        self._boxes: Set[ZygoteBox] = set()
        self._starting = 0
        self._busy: Set[Worker] = set()
        self._tasks: Set[asyncio.Future[None]] = set()
        self._closed = False
        self.last_error: Optional[str] = None

    @property
    def capacity(self) -> int:
        return self.settings.max_concurrent_runs

    async def start(self) -> None:
        """Begin starting `pool_size` boxes (at most one per concurrent run); returns at once."""
        for _ in range(min(self.settings.pool_size, self.capacity)):
            self._spawn()

    def _spawn(self) -> None:
        if self._closed or len(self._boxes) + self._starting >= self.capacity:
            return
        self._starting += 1
        self._track(self._start_one())

    def _track(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _start_one(self) -> None:
        try:
            for attempt in range(3):
                try:
                    zygote = await ZygoteBox.start(self.settings, self.host)
                except ZygoteStartError as exc:
                    self.last_error = str(exc)
                    log.warning("tracer zygote failed to start (attempt %d): %s", attempt + 1, exc)
                    if self._closed:
                        return
                    await asyncio.sleep(0.5 * (attempt + 1))
                    continue
                if self._closed:
                    await zygote.close()
                    return
                self._boxes.add(zygote)
                await self._prepare(zygote)
                return
        finally:
            self._starting -= 1

    async def _prepare(self, zygote: ZygoteBox) -> None:
        """Fork the box's next child into a new cgroup and offer it; a box that cannot is replaced."""
        if self._closed:
            await self._retire(zygote)
            return
        cgroup: Optional[RunCgroup] = None
        try:
            cgroup = await ContainedProcess.make_cgroup(self.host, worker_limits(self.settings))
            worker = await fork_worker(zygote, cgroup, self.settings, lambda clean: self._settled(zygote, clean))
        except (ZygoteStartError, ContainmentUnavailable, OSError) as exc:
            self.last_error = str(exc)
            log.warning("tracer zygote could not prepare a run: %s", exc)
            if cgroup is not None:
                await asyncio.to_thread(cgroup.remove)
            await self._retire(zygote)
            return
        if self._closed:
            await worker.kill()
            return
        self._idle.put_nowait((zygote, worker))

    def _settled(self, zygote: ZygoteBox, clean: bool) -> None:
        """A run's cgroup is empty and gone (clean) or still holds something: reuse the box or replace it."""
        if self._closed or not clean or not zygote.alive or zygote.runs >= RUNS_PER_ZYGOTE:
            self._track(self._retire(zygote))
        else:
            self._track(self._prepare(zygote))

    async def _retire(self, zygote: ZygoteBox) -> None:
        self._boxes.discard(zygote)
        await zygote.close()
        self._spawn()

    async def _take(self) -> Worker:
        wait = self.settings.worker_start_timeout_s
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            if self._idle.empty():
                self._spawn()  # runs overlap: grow, up to one box per concurrent run
            left = deadline - asyncio.get_running_loop().time()
            taken = await take_within(self._idle, max(left, 0.001))
            if taken is None:
                why = f" (the last start failed: {self.last_error})" if self.last_error else ""
                raise WorkerUnavailable(f"no tracer worker started within {wait:g} s; try again{why}")
            zygote, worker = taken
            if zygote.alive and worker.alive:
                return worker
            await worker.kill()  # its teardown retires the box

    @contextlib.asynccontextmanager
    async def worker(self) -> AsyncIterator[Worker]:
        """A fresh child of an idle zygote for one program; it is killed with all it started on exit."""
        if self._closed:
            raise WorkerUnavailable("the trace backend is shut down")
        async with lend(await self._take(), self._busy, self._tasks) as worker:
            yield worker

    async def close(self) -> None:
        """Stop starting boxes and kill every one, idle or busy."""
        self._closed = True
        workers = list(self._busy)
        while not self._idle.empty():
            workers.append(self._idle.get_nowait()[1])
        kills: List[asyncio.Future[None]] = [asyncio.ensure_future(w.kill()) for w in workers]
        if kills:
            await asyncio.wait(kills, timeout=CLOSE_TIMEOUT_S)
        # Teardowns start more teardowns (a settled run retires its box): wait until none is left.
        loop = asyncio.get_running_loop()
        end = loop.time() + CLOSE_TIMEOUT_S
        while loop.time() < end:
            await settle_all(end - loop.time())
            pending = [*self._tasks]
            if not pending:
                break
            await asyncio.wait(pending, timeout=max(end - loop.time(), 0.001))
        if self._tasks:
            log.warning("tracer pool: %d teardown(s) did not end within %g s", len(self._tasks), CLOSE_TIMEOUT_S)
        for zygote in list(self._boxes):
            self._boxes.discard(zygote)
            await zygote.close()
