"""A minimal Server-Sent Events client over aiohttp, as a browser's EventSource reads the stream."""

from __future__ import annotations

from typing import AsyncIterator, Tuple

import aiohttp


async def events(response: aiohttp.ClientResponse) -> AsyncIterator[Tuple[str, str]]:
    """(event, data) pairs as they arrive; comment lines (pings) are skipped."""
    event, data = "message", []
    async for raw in response.content:
        line = raw.decode("utf-8").rstrip("\r\n")
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" ") if line[5:6] == " " else line[5:])
