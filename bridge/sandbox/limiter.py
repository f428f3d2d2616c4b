"""At most N runs at once, a bounded queue behind them, then SandboxBusy (503)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator

from .errors import SandboxBusy


class RunLimiter:
    """A semaphore that refuses instead of queueing without bound."""

    def __init__(self, slots: int, queue_size: int, retry_after_s: int) -> None:
        self.slots = slots
        self.queue_size = queue_size
        self.retry_after_s = retry_after_s
        self._sem: asyncio.Semaphore | None = None  # made on first use, inside the running loop
        self.in_flight = 0
        self.waiting = 0

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one run slot for the body; raises SandboxBusy when the queue is full."""
        if self.in_flight >= self.slots and self.waiting >= self.queue_size:
            raise SandboxBusy(
                f"Sandbox is busy: {self.in_flight} runs in flight and {self.waiting} queued; retry later",
                self.retry_after_s,
            )
        if self._sem is None:
            self._sem = asyncio.Semaphore(self.slots)
        sem = self._sem
        self.waiting += 1
        try:
            await sem.acquire()
        finally:
            self.waiting -= 1
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1
            sem.release()
