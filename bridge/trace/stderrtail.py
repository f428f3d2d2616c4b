"""StderrTail: always read a box's fd 2, keeping its last few KB for error messages."""
from __future__ import annotations

import asyncio
import contextlib
from typing import Optional

KEEP_BYTES = 4096


class StderrTail:
    """Reading never stops while the process lives: a program writing to fd 2 directly would otherwise
    block on a full pipe."""

    def __init__(self, stream: Optional[asyncio.StreamReader]) -> None:
        self._tail = b""
        self._task = asyncio.ensure_future(self._drain(stream)) if stream is not None else None

    def text(self) -> str:
        return self._tail.decode("utf-8", "replace")

    async def finished(self, timeout: float = 1.0) -> None:
        """Wait (bounded) for the stream's end, once the process is gone."""
        if self._task is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._task, timeout)

    async def _drain(self, stream: asyncio.StreamReader) -> None:
        while True:
            chunk = await stream.read(65536)
            if not chunk:
                return
            self._tail = (self._tail + chunk)[-KEEP_BYTES:]
