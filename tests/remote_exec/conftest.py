"""A remote-execution server beside a real headless bridge, on a multicast port of the test's own, over `lo`."""
from __future__ import annotations

import socket
import uuid
from typing import Callable, Iterator, List

import pytest

from bridge.host.remote import pong_identity
from bridge.remote_exec.client import RemoteExecutionClient
from bridge.remote_exec.server import RemoteExecutionServer
from bridge.remote_exec.settings import RemoteExecutionSettings

from ..conftest import BridgeFactory, unreal
from ..needs import missing

GROUP = "239.0.0.1"


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def multicast_on_loopback(port: int) -> None:
    """Fail (CI) or skip when a datagram sent to the group on `lo` does not come back."""
    try:
        client = RemoteExecutionClient(group=GROUP, port=port)
    except Exception as exc:
        missing(f"multicast on the loopback interface: {exc}")
        return
    try:
        probe = uuid.uuid4().hex.encode()
        client._broadcast.sendto(probe, (GROUP, port))
        client._broadcast.settimeout(2.0)
        try:
            if client._broadcast.recv(65536) != probe:
                missing("multicast on the loopback interface returned something else")
        except socket.timeout:
            missing("multicast on the loopback interface: a datagram sent to the group never came back "
                    "(no multicast route on lo?)")
    finally:
        client.close()


@pytest.fixture
def group_port() -> int:
    port = free_udp_port()
    multicast_on_loopback(port)
    return port


ServerFactory = Callable[..., RemoteExecutionServer]


@pytest.fixture
def start_server(start_bridge: BridgeFactory, group_port: int) -> Iterator[ServerFactory]:
    servers: List[RemoteExecutionServer] = []

    def start(**settings: object) -> RemoteExecutionServer:
        host = start_bridge()
        config = RemoteExecutionSettings(enabled=True, multicast_port=group_port, **settings)  # type: ignore[arg-type]
        server = RemoteExecutionServer(host.runner, config, pong_identity(unreal))
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(start_server: ServerFactory) -> RemoteExecutionServer:
    return start_server()


@pytest.fixture
def client(group_port: int) -> Iterator[RemoteExecutionClient]:
    with RemoteExecutionClient(group=GROUP, port=group_port) as remote:
        yield remote
