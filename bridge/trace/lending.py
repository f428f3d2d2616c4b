"""lend(): hand one worker to one program, and kill it afterwards whatever happens to the request."""
from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator, Set

from .worker import Worker


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
