"""RemoteExecutionServer: the editor's side of Epic's remote execution, for the headless host.

Discovery: a UDP socket joined to the multicast group answers every `ping` with a `pong` naming this
editor. `open_connection` asks us to connect out to the TCP command endpoint the client hosts; each
`command` read there runs as an ordinary job through the JobRunner (one at a time, as on the game
thread) and is answered with a `command_result`. A second client's `open_connection` replaces the first
connection, as in the editor. The server runs its own asyncio loop on its own thread.
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import uuid
from typing import Any, Dict, Optional, Tuple

from ..editor.runner import JobRunner
from ..loopback import is_loopback_address
from .commands import Command, run_command
from .protocol import (
    CLOSE_CONNECTION,
    COMMAND,
    COMMAND_RESULT,
    OPEN_CONNECTION,
    PING,
    PONG,
    BadMessage,
    Message,
    parse,
    split_first,
)
from .settings import RemoteExecutionSettings

log = logging.getLogger("bridge.remote_exec")
# Epic's buffers are 2 MiB; a command past that is refused rather than buffered without end.
MAX_MESSAGE_BYTES = 2 * 1024 * 1024


def multicast_socket(settings: RemoteExecutionSettings) -> socket.socket:
    """A UDP socket on the group's port, joined to the group on the bind interface, looping back to this host."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if hasattr(socket, "SO_REUSEPORT"):  # the clients on this machine bind the same port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        # Bound to the group on POSIX, so only the group's datagrams arrive; Windows cannot bind to it.
        sock.bind((settings.multicast_group if os.name != "nt" else settings.multicast_bind_address,
                   settings.multicast_port))
        interface = socket.inet_aton(settings.multicast_bind_address)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, settings.multicast_ttl)
        if settings.multicast_bind_address != "0.0.0.0":
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, interface)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                        socket.inet_aton(settings.multicast_group) + interface)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


class _Discovery(asyncio.DatagramProtocol):
    def __init__(self, server: RemoteExecutionServer) -> None:
        self.server = server
        self.transport: Optional[asyncio.DatagramTransport] = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Tuple[str, int]) -> None:
        try:
            message = parse(data)
        except BadMessage as exc:
            log.debug("remote execution: ignored a datagram from %s: %s", addr, exc)
            return
        self.server.on_datagram(message)

    def error_received(self, exc: Exception) -> None:
        log.warning("remote execution: discovery socket error: %s", exc)


class RemoteExecutionServer:
    """Answers Epic's remote-execution clients; `start()` and `stop()` from any thread."""

    def __init__(self, runner: JobRunner, settings: RemoteExecutionSettings, identity: Dict[str, str]) -> None:
        self.runner = runner
        self.settings = settings
        self.node_id = str(uuid.uuid4())
        # The pong's data: user, machine, engine_version, engine_root, project_root, project_name.
        self.identity = dict(identity)
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._ready = threading.Event()
        self._error: Optional[BaseException] = None
        self._stopped: Optional[asyncio.Event] = None
        self._discovery: Optional[_Discovery] = None
        self._channel: Optional[asyncio.Task[None]] = None
        self._channel_peer: Optional[Tuple[str, str, int]] = None  # (client node, ip, port)

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Join the group; raises the OSError when the socket cannot be set up."""
        if self._thread is not None:
            raise RuntimeError("the remote-execution server is already running")
        self._thread = threading.Thread(target=self._serve_thread, name="ue-bridge-remote-exec", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            self._thread.join(5)
            self._thread = None
            raise self._error

    def stop(self, timeout: float = 5.0) -> None:
        loop, stopped, thread = self._loop, self._stopped, self._thread
        if thread is None:
            return
        if loop is not None and stopped is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(stopped.set)
            except RuntimeError:
                pass  # already closed
        thread.join(timeout)
        self._thread = None

    def _serve_thread(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:
            self._error = self._error or exc
        finally:
            self._ready.set()
            loop.close()

    async def _serve(self) -> None:
        self._stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        try:
            sock = multicast_socket(self.settings)
        except OSError as exc:
            self._error = OSError(
                exc.errno, f"remote execution cannot join {self.settings.multicast_group}:"
                           f"{self.settings.multicast_port} on {self.settings.multicast_bind_address}: {exc.strerror}")
            return
        transport, protocol = await loop.create_datagram_endpoint(lambda: _Discovery(self), sock=sock)
        self._discovery = protocol
        self._ready.set()
        try:
            await self._stopped.wait()
        finally:
            transport.close()
            await self._close_channel()

    # --- discovery ----------------------------------------------------------------------------

    def on_datagram(self, message: Message) -> None:
        if not message.for_node(self.node_id):
            return
        if message.type == PING:
            self._send(Message(PONG, self.node_id, message.source, self.identity))
        elif message.type == OPEN_CONNECTION:
            self._open_channel(message)
        elif message.type == CLOSE_CONNECTION and self._channel_peer and self._channel_peer[0] == message.source:
            channel, self._channel, self._channel_peer = self._channel, None, None
            if channel is not None:
                channel.cancel()

    def _send(self, message: Message) -> None:
        transport = self._discovery.transport if self._discovery else None
        if transport is not None:
            transport.sendto(message.to_bytes(), (self.settings.multicast_group, self.settings.multicast_port))

    # --- the command channel ------------------------------------------------------------------

    def _open_channel(self, message: Message) -> None:
        data = message.data or {}
        ip, port = data.get("command_ip"), data.get("command_port")
        if not isinstance(ip, str) or not isinstance(port, int) or not 0 < port < 65536:
            log.warning("remote execution: open_connection from %s without a valid command_ip and command_port",
                        message.source)
            return
        if not is_loopback_address(ip):
            # The protocol has no authentication: connecting out to another machine would hand it the editor.
            log.warning("remote execution: refused open_connection to %s:%s: only loopback endpoints are served",
                        ip, port)
            return
        peer = (message.source, ip, port)
        if peer == self._channel_peer and self._channel is not None and not self._channel.done():
            return  # the client repeats its request until we connect; we already did
        previous = self._channel
        self._channel_peer = peer
        self._channel = asyncio.ensure_future(self._serve_channel(peer, previous))

    async def _close_channel(self) -> None:
        channel, self._channel, self._channel_peer = self._channel, None, None
        if channel is not None and not channel.done():
            channel.cancel()
            try:
                await channel
            except (asyncio.CancelledError, Exception):
                pass

    async def _serve_channel(self, peer: Tuple[str, str, int], previous: Optional[asyncio.Task[None]]) -> None:
        if previous is not None and not previous.done():
            previous.cancel()  # one command connection per editor: the newer client wins
        client, ip, port = peer
        writer: Optional[asyncio.StreamWriter] = None
        try:
            reader, writer = await self._connect(ip, port)
            log.info("remote execution: command channel open to %s:%s (node %s)", ip, port, client)
            buffer = b""
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    return
                buffer += chunk
                while True:
                    raw, buffer = split_first(buffer)
                    if raw is None:
                        break
                    await self._answer(raw, client, writer)
                if len(buffer) > MAX_MESSAGE_BYTES:
                    await self._reply(writer, client, {"success": False, "command": "", "output": [],
                                                       "result": f"message longer than {MAX_MESSAGE_BYTES} bytes"})
                    return
        except (OSError, asyncio.TimeoutError) as exc:
            log.warning("remote execution: command channel to %s:%s closed: %s", ip, port, exc)
        finally:
            if writer is not None:
                writer.close()
            if self._channel_peer == peer:
                self._channel_peer = None

    async def _connect(self, ip: str, port: int) -> Tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """The client may not listen yet when its request arrives: retry until connect_timeout_seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.connect_timeout_seconds
        while True:
            try:
                return await asyncio.wait_for(asyncio.open_connection(ip, port), 1.0)
            except (OSError, asyncio.TimeoutError):
                if loop.time() >= deadline:
                    raise
                await asyncio.sleep(0.1)

    async def _answer(self, raw: bytes, client: str, writer: asyncio.StreamWriter) -> None:
        """Every command gets a result, even a malformed one: a stock client would otherwise wait forever."""
        try:
            message = parse(raw)
            if message.type != COMMAND:
                raise BadMessage(f"expected a {COMMAND!r} message, got {message.type!r}")
            if not message.for_node(self.node_id):
                return
            command = Command.from_data(message.data)
        except BadMessage as exc:
            await self._reply(writer, client, {"success": False, "command": "", "output": [],
                                               "result": f"invalid command message: {exc}"})
            return
        data = await run_command(self.runner, command, timeout=self.settings.command_timeout_seconds)
        await self._reply(writer, message.source, data)

    async def _reply(self, writer: asyncio.StreamWriter, dest: str, data: Dict[str, Any]) -> None:
        writer.write(Message(COMMAND_RESULT, self.node_id, dest, data).to_bytes())
        await writer.drain()
