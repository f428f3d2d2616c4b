"""Reading a box's pipes with a hard cap, so a flood never grows server memory."""

from __future__ import annotations

import asyncio
from typing import Callable, Optional

CHUNK = 64 * 1024


class CappedReader:
    """Collects at most `cap` bytes of a stream; past that it flags truncation and calls `on_overflow`."""

    def __init__(self, stream: asyncio.StreamReader, cap: int, on_overflow: Optional[Callable[[], None]]) -> None:
        self.stream = stream
        self.cap = cap
        self.on_overflow = on_overflow
        self.data = bytearray()
        self.truncated = False

    async def run(self) -> None:
        """Read until EOF; after the cap, keep draining (discarding) so the writer is never stuck."""
        while True:
            chunk = await self.stream.read(CHUNK)
            if not chunk:
                return
            room = self.cap - len(self.data)
            if room > 0:
                self.data += chunk[:room]
            if len(chunk) > room:
                if not self.truncated and self.on_overflow is not None:
                    self.on_overflow()
                self.truncated = True

    def text(self) -> str:
        """The captured bytes as text (invalid UTF-8, or a cut character, becomes U+FFFD)."""
        return self.data.decode("utf-8", errors="replace")
