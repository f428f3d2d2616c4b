"""The end of a standalone server's start: wait for SIGINT or SIGTERM, then clean its runner up."""
from __future__ import annotations

import asyncio
import signal
from typing import Callable, Optional

from aiohttp import web


async def serve_until_signal(runner: web.AppRunner, listening: str, bound: int,
                             ready: Optional[Callable[[int], None]] = None) -> None:
    """Print `listening` and call `ready(bound)` once the signal handlers are in (a caller may signal as soon as
    it reads the line); return after SIGINT or SIGTERM with the runner cleaned up."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(listening, flush=True)
    if ready is not None:
        ready(bound)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
