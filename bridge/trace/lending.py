"""take_within(): an idle worker or None; lend(): hand one worker to one program, and kill it afterwards
whatever happens to the request."""
from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator, Optional, Set, TypeVar

from .worker import Worker

T = TypeVar("T")


async def take_within(idle: asyncio.Queue[T], timeout: float) -> Optional[T]:
    """The next item of `idle` within `timeout`, else None. Not asyncio.wait_for: on Python 3.9 to 3.11 it
    returns the item when the get() completes as the caller is cancelled, so a run cancelled at that moment
    went on to its wall-time limit. Here the cancel wins and the item goes back to the queue."""
    getter = asyncio.ensure_future(idle.get())
    try:
        await asyncio.wait({getter}, timeout=timeout)
    except asyncio.CancelledError:
        if getter.done() and not getter.cancelled():
            idle.put_nowait(getter.result())
        else:
            getter.cancel()  # a get() cancelled before it returns takes nothing from the queue
        raise
    if not getter.done():
        getter.cancel()
        return None
    return getter.result()


@contextlib.asynccontextmanager
async def lend(worker: Worker, busy: Set[Worker], teardowns: Set[asyncio.Future[None]]) -> AsyncIterator[Worker]:
    """`worker` is in `busy` while the program runs. Its kill is shielded and kept in `teardowns`, so a
    cancelled request still has its worker reaped and the pool's close() can wait for it."""
    busy.add(worker)
    try:
        yield worker
    finally:
        busy.discard(worker)
        kill = asyncio.ensure_future(worker.kill())
        teardowns.add(kill)
        kill.add_done_callback(teardowns.discard)
        await asyncio.shield(kill)
