"""The connection guard: a bounded number of connections, none kept that trickles its request in."""
from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import subprocess
from typing import AsyncIterator, List, Tuple

import aiohttp
import psutil
import pytest

from bridge.api.connections import ConnectionLimits
from bridge.config import Settings
from bridge.host import BridgeHost

from .test_headless_process import UE_BRIDGE, start_server

PARTIAL_HEAD = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
Stream = Tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def open_partial(port: int, count: int) -> List[Stream]:
    """`count` connections that each send a request head without its closing empty line."""
    streams = []
    for _ in range(count):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(PARTIAL_HEAD)
        streams.append((reader, writer))
    return streams


async def outcome(stream: Stream, wait: float) -> str:
    """What the server did with a connection within `wait` s: `408`, `503`, `reset`, `closed` or `open`."""
    reader, _ = stream
    try:
        data = await asyncio.wait_for(reader.read(), wait)
    except asyncio.TimeoutError:
        return "open"
    except ConnectionResetError:
        return "reset"
    return data[9:12].decode() if data.startswith(b"HTTP/1.1 ") else "closed"


async def close_all(streams: List[Stream]) -> None:
    for _, writer in streams:
        writer.close()
    for _, writer in streams:
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def health(port: int, tries: int = 100) -> int:
    """GET /api/v1/health over a fresh connection until it answers 200 (bounded); the last status."""
    status = 0
    async with aiohttp.ClientSession() as http:
        for _ in range(tries):
            try:
                async with http.get(f"http://127.0.0.1:{port}/api/v1/health") as response:
                    status = response.status
            except aiohttp.ClientError:
                status = 0
            if status == 200:
                break
            await asyncio.sleep(0.1)
    return status


def test_default_limits_are_the_settings_defaults() -> None:
    # `ue-bridge sandbox-serve` runs with ConnectionLimits(); it must not drift from the documented defaults.
    assert ConnectionLimits() == ConnectionLimits.from_settings(Settings(**{}))
    assert ConnectionLimits() == ConnectionLimits(max_connections=512, header_timeout_seconds=10.0)


async def test_connections_beyond_the_limit_are_refused(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(max_connections=8, header_timeout_seconds=60)
    assert host.port is not None
    held = await open_partial(host.port, 8)
    extra = await open_partial(host.port, 4)
    try:
        # Turned away at once, with a reply when it arrives before the close (else a reset).
        assert {await outcome(stream, 10) for stream in extra} <= {"503", "reset"}
        reader, writer = (await open_partial(host.port, 1))[0]
        try:
            reply = await asyncio.wait_for(reader.read(), 10)
        except ConnectionResetError:
            reply = b""
        writer.close()
        if reply:
            assert reply.startswith(b"HTTP/1.1 503 ") and b"Connection: close" in reply
            body = json.loads(reply.split(b"\r\n\r\n", 1)[1])
            assert body["error_code"] == "TOO_MANY_CONNECTIONS" and "max_connections" in body["error"]
        held_outcomes = await asyncio.gather(*(outcome(stream, 0.5) for stream in held))
        assert set(held_outcomes) == {"open"}  # the ones within the limit wait for their head
    finally:
        await close_all(held + extra)
    assert await health(host.port) == 200  # as soon as the load is gone


async def test_600_half_sent_heads(start_bridge) -> None:  # type: ignore[no-untyped-def]
    # The attack: many connections that never finish their head. Those past max_connections are
    # refused; the others get a 408 once header_timeout_seconds has passed; health answers afterwards.
    host: BridgeHost = start_bridge(header_timeout_seconds=2)
    assert host.port is not None
    streams = await open_partial(host.port, 600)
    try:
        outcomes = await asyncio.gather(*(outcome(stream, 30) for stream in streams))
    finally:
        await close_all(streams)
    timed_out = outcomes.count("408")
    refused = outcomes.count("503") + outcomes.count("reset")
    assert timed_out + refused == 600, sorted(set(outcomes))  # none left open, nothing else
    assert timed_out >= 512 and refused >= 1, (timed_out, refused)  # 512 were open at once, never more
    assert await health(host.port) == 200


async def test_a_trickled_head_is_closed_at_the_deadline(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(header_timeout_seconds=1)
    assert host.port is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", host.port)
    reply = asyncio.ensure_future(reader.read())
    for byte in PARTIAL_HEAD * 10:  # a byte at a time: the deadline counts from the connection, not idleness
        if reply.done():
            break
        writer.write(bytes([byte]))
        await asyncio.sleep(0.05)
    await asyncio.wait_for(reply, 10)
    writer.close()
    assert reply.result().startswith(b"HTTP/1.1 408 ")
    body = json.loads(reply.result().split(b"\r\n\r\n", 1)[1])
    assert body["error_code"] == "REQUEST_TIMEOUT" and "header_timeout_seconds" in body["error"]


async def test_kept_alive_connection_is_bounded_too(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(header_timeout_seconds=1)
    assert host.port is not None
    for second in (b"", PARTIAL_HEAD):  # idle after a reply, or a second head that never ends
        reader, writer = await asyncio.open_connection("127.0.0.1", host.port)
        writer.write(PARTIAL_HEAD + b"\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        assert head.startswith(b"HTTP/1.1 200 ")
        length = int(head.split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0])
        await reader.readexactly(length)
        writer.write(second)
        with contextlib.suppress(ConnectionError):
            await asyncio.wait_for(reader.read(), 10)  # raises TimeoutError if the server keeps it
        assert reader.at_eof()
        writer.close()


async def test_deadline_spares_requests_in_progress(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(header_timeout_seconds=1)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        slow = {"code": "import time\ntime.sleep(1.5)\nprint('done')"}
        async with http.post("/api/v1/python/execute", json=slow) as response:
            assert response.status == 200 and (await response.json())["output"] == "done\n"
        async with http.ws_connect("/socket.io/?EIO=4&transport=websocket") as ws:
            assert str((await asyncio.wait_for(ws.receive(), 10)).data).startswith("0{")
            await asyncio.sleep(1.5)
            await ws.send_str("40")  # Socket.IO connect, answered only on a live connection
            assert str((await asyncio.wait_for(ws.receive(), 10)).data).startswith("40")


async def test_a_trickled_body_is_refused(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(body_timeout_seconds=1)
    assert host.port is not None
    for framing in (b"Content-Length: 100\r\n\r\n{\"code\":", b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"cod\r\n"):
        reader, writer = await asyncio.open_connection("127.0.0.1", host.port)
        writer.write(b"POST /api/v1/python/execute HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\n" + framing)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        writer.close()
        assert head.startswith(b"HTTP/1.1 408 "), head


async def test_a_chunked_body_within_the_limit_runs(http: aiohttp.ClientSession) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: read by the bridge, not by aiohttp
        yield b'{"code": "print('
        yield b"6 * 7)"
        yield b'"}'

    async with http.post("/api/v1/python/execute", data=chunks(),
                         headers={"Content-Type": "application/json"}) as response:
        assert response.status == 200 and (await response.json())["output"] == "42\n"


# --- real processes ---------------------------------------------------------------------------------

MB = 1024 * 1024


def refused_body(port: int, chunked: bool) -> bytes:
    """Send a 50 MB body to the editor route; the status line the server answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {50 * MB}"
        sock.sendall(f"POST /api/v1/python/execute HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     f"Content-Type: application/json\r\n{framing}\r\n\r\n".encode())
        block = b" " * MB
        with contextlib.suppress(OSError):  # the server may stop reading once it has refused
            for _ in range(50):
                sock.sendall(b"%x\r\n%s\r\n" % (MB, block) if chunked else block)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        try:
            return sock.recv(200).split(b"\r\n", 1)[0]
        except OSError as exc:
            return repr(exc).encode()


def get_health(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return sock.recv(100).split(b"\r\n", 1)[0]


@pytest.mark.slow
def test_memory_comes_back_after_refused_bodies() -> None:
    proc, url = start_server()
    try:
        port = int(url.rsplit(":", 1)[1])
        for _ in range(3):
            assert get_health(port) == b"HTTP/1.1 200 OK"
        server = psutil.Process(proc.pid)
        before = server.memory_info().rss
        for n in range(20):
            status = refused_body(port, chunked=n % 2 == 1)
            assert status.startswith(b"HTTP/1.1 413 "), (n, status)
        assert get_health(port) == b"HTTP/1.1 200 OK"
        grown = server.memory_info().rss - before
        assert grown < 10 * MB, f"RSS grew by {grown / MB:.1f} MB after 20 refused 50 MB bodies"
    finally:
        proc.kill()
        proc.communicate()


@pytest.mark.slow
def test_sandbox_serve_closes_half_sent_heads() -> None:
    proc = subprocess.Popen([UE_BRIDGE, "sandbox-serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "listening on http://127.0.0.1:" in line, line
        port = int(line.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(PARTIAL_HEAD)
            reply = sock.recv(500)  # after the default 10 s
        assert reply.startswith(b"HTTP/1.1 408 ") and b"header_timeout_seconds" in reply, reply
    finally:
        proc.kill()
        proc.communicate()
