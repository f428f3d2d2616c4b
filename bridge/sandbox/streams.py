"""Reading a box's pipes with a hard cap, so a flood never grows server memory.

Each reader owns the read end of a pipe and reads it straight from the event loop
(`add_reader`), with no buffer between the kernel and `data`. So at any moment
everything the box wrote is either in `data` or still in the pipe, and `drain()` can
collect the rest at once, without waiting for end-of-file (which only comes once every
process holding the write end, bwrap's own included, has exited).
"""

from __future__ import annotations

import asyncio
import os
from typing import Callable, Optional

CHUNK = 64 * 1024
CHUNKS_PER_WAKEUP = 4  # a flooding box must not hold the event loop for long


class CappedReader:
    """Collects at most `cap` bytes of a pipe; past that it flags truncation and calls `on_overflow`."""

    def __init__(self, fd: int, cap: int, on_overflow: Optional[Callable[[], None]]) -> None:
        self.fd = fd
        self.cap = cap
        self.on_overflow = on_overflow
        self.data = bytearray()
        self.truncated = False
        self.loop = asyncio.get_running_loop()
        self.eof: asyncio.Future[None] = self.loop.create_future()
        os.set_blocking(fd, False)
        self.loop.add_reader(fd, self._read, CHUNKS_PER_WAKEUP)

    def _read(self, chunks: int) -> None:
        """Read up to `chunks` chunks; after the cap keep reading (discarding) so the writer is never stuck."""
        for _ in range(chunks):
            try:
                chunk = os.read(self.fd, CHUNK)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self.close()
                return
            room = self.cap - len(self.data)
            if room > 0:
                self.data += chunk[:room]
            if len(chunk) > room:
                if not self.truncated and self.on_overflow is not None:
                    self.on_overflow()
                self.truncated = True

    def drain(self, max_chunks: int = 64) -> None:
        """Take what the pipe holds right now (bounded: a writer may still be running), then stop reading."""
        if not self.eof.done():
            self._read(max_chunks)
        self.close()

    async def wait_eof(self) -> None:
        """Until every writer has closed the pipe (or the reader was closed)."""
        await asyncio.shield(self.eof)

    def close(self) -> None:
        """Stop reading and close the pipe; idempotent."""
        if self.eof.done():
            return
        self.loop.remove_reader(self.fd)
        os.close(self.fd)
        self.eof.set_result(None)

    def text(self) -> str:
        """The captured bytes as text (invalid UTF-8, or a cut character, becomes U+FFFD)."""
        return self.data.decode("utf-8", errors="replace")
