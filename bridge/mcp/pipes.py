"""stdin and stdout as event-loop pipes for the SDK's stdio transport.

The SDK reads and writes the standard streams through worker threads (`anyio.wrap_file`): each line in and
each write and flush out is a hop to a thread and back. On two cores those hops were most of an MCP call's
own cost, enough that back-to-back calls missed the frame the previous run ended in. Pipes, sockets and
terminals can be read and written by the event loop itself; anything else (a regular file, Windows, whose
Proactor loop cannot take an inherited handle) keeps the SDK's threads.

Like the SDK, the wire is moved off fd 0 and fd 1 while serving (to /dev/null and stderr), so a handler, a
child process or a stray print reads end-of-file and writes to stderr instead of tearing a frame.
"""
from __future__ import annotations

import asyncio
import os
import stat
import sys
from contextlib import asynccontextmanager, contextmanager, suppress
from typing import Any, AsyncIterator, Iterator, Optional, Tuple

# A JSON-RPC line can carry a whole file of code; the reader's buffer bounds a line, not a message count.
LINE_LIMIT = 256 * 1024 * 1024
LOOP_PIPES = (stat.S_ISFIFO, stat.S_ISSOCK, stat.S_ISCHR)


def loop_can_serve(fd: int) -> bool:
    """True when the event loop can watch `fd` (a pipe, socket or terminal, not on Windows)."""
    if sys.platform == "win32":
        return False
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return any(kind(mode) for kind in LOOP_PIPES)


class LineReader:
    """`async for line in reader`: the lines of the wire, newline kept, as the SDK's transport reads them."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self._stream = stream

    def __aiter__(self) -> LineReader:
        return self

    async def __anext__(self) -> str:
        line = await self._stream.readline()
        if not line:
            raise StopAsyncIteration
        return line.decode("utf-8", errors="replace")


class LineWriter:
    """`write` then `flush`, as the SDK's transport writes a message; `flush` waits while the pipe is full."""

    def __init__(self, stream: asyncio.StreamWriter) -> None:
        self._stream = stream

    async def write(self, text: str) -> None:
        self._stream.write(text.encode("utf-8"))

    async def flush(self) -> None:
        await self._stream.drain()


@contextmanager
def diverted(fd: int, replacement: int) -> Iterator[int]:
    """A private duplicate of `fd` (the wire) while `fd` itself points at `replacement`; restored on exit."""
    wire = os.dup(fd)
    os.set_inheritable(wire, False)
    try:
        os.dup2(replacement, fd)
        try:
            yield wire
        finally:
            os.set_blocking(wire, True)  # the event loop made it non-blocking; a terminal is shared with the shell
            os.dup2(wire, fd)
    finally:
        os.close(wire)


@asynccontextmanager
async def loop_stdio() -> AsyncIterator[Optional[Tuple[Any, Any]]]:
    """(stdin lines, stdout writer) on the event loop, or None when either stream cannot be served there."""
    if not (loop_can_serve(0) and loop_can_serve(1)):
        yield None
        return
    loop = asyncio.get_running_loop()
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        with diverted(0, null) as wire_in, diverted(1, 2) as wire_out:
            # The transports own (and close) these file objects; closefd=False: the descriptors are
            # `diverted`'s to close, after the transports let go of them.
            read_file = open(wire_in, "rb", buffering=0, closefd=False)  # noqa: SIM115
            write_file = open(wire_out, "wb", buffering=0, closefd=False)  # noqa: SIM115
            reader = asyncio.StreamReader(limit=LINE_LIMIT)
            read_transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), read_file)
            write_transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, write_file)
            writer = asyncio.StreamWriter(write_transport, protocol, None, loop)
            try:
                yield LineReader(reader), LineWriter(writer)
            finally:
                with suppress(ConnectionError):
                    await writer.drain()
                read_transport.close()
                write_transport.close()
    finally:
        os.close(null)
