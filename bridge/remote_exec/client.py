"""RemoteExecutionClient: drive an editor (a stock one, or the headless host) through Epic's protocol.

It does what Epic's `remote_execution.py` does, message for message: ping the multicast group, keep
the nodes that answer with a pong, host a TCP listener and ask a node to connect to it with
`open_connection` (repeated until it does), then send `command` messages and read each
`command_result`. Unlike Epic's client it reads until the JSON is complete (a result may arrive in
several segments), and every wait has a timeout.
"""
from __future__ import annotations

import os
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from .protocol import (
    CLOSE_CONNECTION,
    COMMAND,
    COMMAND_RESULT,
    DEFAULT_GROUP,
    DEFAULT_PORT,
    EXECUTE_FILE,
    MODES,
    OPEN_CONNECTION,
    PING,
    PING_SECONDS,
    PONG,
    BadMessage,
    Message,
    parse,
    split_first,
)


class RemoteExecutionError(Exception):
    """No editor answered, or the one chosen did not connect or reply; the message says what to do."""


@dataclass(frozen=True)
class RemoteNode:
    """An editor that answered a ping: its node id and what its pong said."""

    node_id: str
    data: Dict[str, Any]

    @property
    def project_root(self) -> str:
        return str(self.data.get("project_root") or "")

    @property
    def project_name(self) -> str:
        return str(self.data.get("project_name") or "")

    def describe(self) -> str:
        return (f"{self.project_name or '?'} at {self.project_root or '?'} (engine {self.data.get('engine_version')}, "
                f"{self.data.get('user')}@{self.data.get('machine')}, node {self.node_id})")


class RemoteExecutionClient:
    """One client node; use it as a context manager, or call `close()`."""

    def __init__(
        self, *, group: str = DEFAULT_GROUP, port: int = DEFAULT_PORT, bind_address: str = "127.0.0.1",
        ttl: int = 0, command_endpoint: Tuple[str, int] = ("127.0.0.1", 0),
    ) -> None:
        self.group = group
        self.port = port
        self.bind_address = bind_address
        self.ttl = ttl
        self.command_endpoint = command_endpoint
        self.node_id = str(uuid.uuid4())
        self._broadcast = self._broadcast_socket()
        self._channel: Optional[socket.socket] = None
        self._remote: Optional[str] = None
        self._buffer = b""

    def _broadcast_socket(self) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        try:
            if hasattr(socket, "SO_REUSEPORT"):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            else:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.group if os.name != "nt" else self.bind_address, self.port))
            interface = socket.inet_aton(self.bind_address)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, self.ttl)
            if self.bind_address != "0.0.0.0":
                sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, interface)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(self.group) + interface)
        except OSError as exc:
            sock.close()
            raise RemoteExecutionError(
                f"cannot join the remote-execution group {self.group}:{self.port} on {self.bind_address}: "
                f"{exc.strerror}"
            ) from None
        return sock

    def _send_broadcast(self, message: Message) -> None:
        self._broadcast.sendto(message.to_bytes(), (self.group, self.port))

    # --- discovery ----------------------------------------------------------------------------

    def discover(self, timeout: float = 2.0) -> List[RemoteNode]:
        """The editors that answer within `timeout` seconds, pinging every second as Epic's client does."""
        nodes: Dict[str, RemoteNode] = {}
        deadline = time.monotonic() + timeout
        next_ping = 0.0
        while True:
            now = time.monotonic()
            if now >= deadline:
                return sorted(nodes.values(), key=lambda node: (node.project_root, node.node_id))
            if now >= next_ping:
                self._send_broadcast(Message(PING, self.node_id))
                next_ping = now + PING_SECONDS
            message = self._receive_broadcast(min(deadline, next_ping) - now)
            if message is not None and message.type == PONG and message.for_node(self.node_id):
                nodes[message.source] = RemoteNode(message.source, dict(message.data or {}))

    def _receive_broadcast(self, wait: float) -> Optional[Message]:
        self._broadcast.settimeout(max(wait, 0.01))
        try:
            raw = self._broadcast.recv(65536)
        except socket.timeout:
            return None
        try:
            return parse(raw)
        except BadMessage:
            return None

    # --- the command channel ------------------------------------------------------------------

    def open(self, node_id: str, timeout: float = 10.0) -> None:
        """Host the command endpoint and ask `node_id` to connect to it, until it does or `timeout` passes."""
        self.close_command_channel()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(self.command_endpoint)
            listener.listen(1)
            ip, port = listener.getsockname()[:2]
            deadline = time.monotonic() + timeout
            while True:
                request = {"command_ip": ip, "command_port": port}
                self._send_broadcast(Message(OPEN_CONNECTION, self.node_id, node_id, request))
                listener.settimeout(min(1.0, max(deadline - time.monotonic(), 0.01)))
                try:
                    self._channel = listener.accept()[0]
                    break
                except socket.timeout:
                    if time.monotonic() >= deadline:
                        raise RemoteExecutionError(
                            f"the editor (node {node_id}) did not connect to {ip}:{port} within {timeout:g} s: "
                            "is its remote execution on, and is this endpoint loopback?"
                        ) from None
        finally:
            listener.close()
        self._remote = node_id
        self._buffer = b""

    def run(self, command: str, *, exec_mode: str = EXECUTE_FILE, unattended: bool = True,
            timeout: Optional[float] = None) -> Dict[str, Any]:
        """Run one command; the `command_result` data: success, command, result, output."""
        if exec_mode not in MODES:
            raise ValueError(f"exec_mode must be one of {', '.join(MODES)}, got {exec_mode!r}")
        channel = self._channel
        if channel is None or self._remote is None:
            raise RemoteExecutionError("no command channel: call open(node_id) first")
        data = {"command": command, "unattended": unattended, "exec_mode": exec_mode}
        channel.sendall(Message(COMMAND, self.node_id, self._remote, data).to_bytes())
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            raw, self._buffer = split_first(self._buffer)
            if raw is not None:
                message = parse(raw)
                if message.type == COMMAND_RESULT and message.for_node(self.node_id):
                    return dict(message.data or {})
                continue
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                raise RemoteExecutionError(f"no command_result within {timeout:g} s")
            channel.settimeout(wait)
            try:
                chunk = channel.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise RemoteExecutionError("the editor closed the command channel before it replied")
            self._buffer += chunk

    def close_command_channel(self) -> None:
        if self._remote is not None:
            try:
                self._send_broadcast(Message(CLOSE_CONNECTION, self.node_id, self._remote))
            except OSError:
                pass
        if self._channel is not None:
            self._channel.close()
        self._channel = None
        self._remote = None

    def close(self) -> None:
        self.close_command_channel()
        self._broadcast.close()

    def __enter__(self) -> RemoteExecutionClient:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
