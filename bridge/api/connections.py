"""The connection guard: at most N live connections, and none kept that never finishes its request head."""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional, cast

import orjson
from aiohttp import web

from .errors import ApiError

if TYPE_CHECKING:
    from ..config import Settings

log = logging.getLogger("bridge")
# A request head ends with an empty line; HTTP/1.1 parsers (aiohttp's too) also take bare LF line ends.
HEAD_ENDS = (b"\n\n", b"\n\r\n")
WARN_EVERY_S = 60.0


@dataclass(frozen=True)
class ConnectionLimits:
    """How many connections a server keeps open, and how long one may take to send its request head."""

    max_connections: int = 512
    header_timeout_seconds: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> ConnectionLimits:
        return cls(settings.max_connections, settings.header_timeout_seconds)


def error_reply(status: int, reason: str, code: str, message: str, retry_after: Optional[int] = None) -> bytes:
    """A whole HTTP/1.1 error response that closes the connection, for use before aiohttp has parsed anything."""
    body = orjson.dumps(ApiError(status, code, message).body().model_dump(mode="json"))
    retry = f"Retry-After: {retry_after}\r\n" if retry_after is not None else ""
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"{retry}Connection: close\r\n\r\n")
    return head.encode("ascii") + body


class ConnectionGuard:
    """A protocol factory around aiohttp's: counts live connections and turns away those over the limit."""

    def __init__(self, factory: Callable[[], asyncio.Protocol], limits: ConnectionLimits) -> None:
        self.factory = factory
        self.limits = limits
        self.live = 0
        self.refused = 0
        self.timed_out = 0
        self._warned_at = -WARN_EVERY_S
        self.too_many = error_reply(
            503, "Service Unavailable", "TOO_MANY_CONNECTIONS",
            f"the server already has {limits.max_connections} open connections (setting max_connections); "
            "retry shortly, or close idle connections", retry_after=1,
        )
        self.head_timeout = error_reply(
            408, "Request Timeout", "REQUEST_TIMEOUT",
            f"no complete request head arrived within {limits.header_timeout_seconds:g} s "
            "(setting header_timeout_seconds); send the request line and headers at once",
        )

    def __call__(self) -> asyncio.Protocol:
        if self.live >= self.limits.max_connections:
            self.refused += 1
            self._warn(f"refusing connections: {self.live} are open, the limit is {self.limits.max_connections} "
                       "(setting max_connections)")
            return _Refused(self.too_many)
        return GuardedConnection(self, self.factory())

    def _warn(self, message: str) -> None:
        # Under a flood this would run per connection; once a minute tells the operator enough.
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning("%s", message)


class _Refused(asyncio.Protocol):
    """A connection over the limit: one short reply, then closed, with no aiohttp state behind it."""

    def __init__(self, reply: bytes) -> None:
        self.reply = reply

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        writer = cast(asyncio.WriteTransport, transport)  # uvloop's transports do not subclass asyncio's
        writer.write(self.reply)
        writer.close()


class GuardedConnection(asyncio.Protocol):
    """aiohttp's protocol for one connection, closed if its first request head is not complete in time."""

    def __init__(self, guard: ConnectionGuard, inner: asyncio.Protocol) -> None:
        self.guard = guard
        self.inner = inner
        self.transport: Optional[asyncio.Transport] = None
        self.deadline: Optional[asyncio.TimerHandle] = None
        self.tail = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.guard.live += 1
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports do not subclass asyncio's
        loop = asyncio.get_running_loop()
        self.deadline = loop.call_later(self.guard.limits.header_timeout_seconds, self._head_timed_out)
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self.deadline is not None:
            window = self.tail + data[:2]  # a head end split across two reads
            if any(end in window or end in data for end in HEAD_ENDS):
                self.deadline.cancel()
                self.deadline = None
                self.tail = b""
            else:
                self.tail = (self.tail + data[-2:])[-2:]
        self.inner.data_received(data)

    def _head_timed_out(self) -> None:
        # Later requests on a kept-alive connection are bounded by aiohttp's keepalive_timeout instead.
        self.deadline = None
        self.guard.timed_out += 1
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(self.guard.head_timeout)
            self.transport.close()

    def eof_received(self) -> Optional[bool]:
        return self.inner.eof_received()

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self.guard.live -= 1
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None
        self.transport = None
        self.inner.connection_lost(exc)


class GuardedSite(web.BaseSite):
    """A TCP site like aiohttp's TCPSite whose connections pass through a ConnectionGuard."""

    def __init__(self, runner: web.BaseRunner, host: str, port: int, limits: ConnectionLimits,
                 *, backlog: int = 128) -> None:
        super().__init__(runner, backlog=backlog)
        self.host = host
        self.requested_port = port
        self.limits = limits
        self.guard: Optional[ConnectionGuard] = None

    @property
    def name(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}"

    @property
    def port(self) -> int:
        """The bound port once started (the first socket's, when a name binds several)."""
        sockets: Any = getattr(self._server, "sockets", None) or []
        return int(sockets[0].getsockname()[1]) if sockets else self.requested_port

    async def start(self) -> None:
        await super().start()
        server = self._runner.server
        if server is None:
            raise RuntimeError("call runner.setup() before starting a GuardedSite")
        self.guard = ConnectionGuard(server, self.limits)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self.guard, self.host, self.requested_port, backlog=self._backlog)
