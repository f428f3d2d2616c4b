"""Socket.IO end to end: real python-socketio clients against the running bridge."""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Callable, Dict, List

import aiohttp
import pytest
import socketio

from bridge.host import BridgeHost

Connect = Callable[..., Any]


class Client:
    """A python-socketio AsyncClient that queues every `message` event."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.messages: asyncio.Queue[Dict[str, Any]] = asyncio.Queue()
        self.sio.on("message", self.messages.put)

    async def next(self, kind: str) -> Dict[str, Any]:
        """The next message of `kind` (bounded wait), skipping none: others fail the test."""
        message = await asyncio.wait_for(self.messages.get(), 15)
        assert message["type"] == kind, message
        return message

    async def until_complete(self) -> List[Dict[str, Any]]:
        got = []
        while True:
            message = await asyncio.wait_for(self.messages.get(), 15)
            got.append(message)
            if message["type"] in ("complete", "error"):
                return got


@pytest.fixture
async def connect(bridge: BridgeHost) -> AsyncIterator[Connect]:
    clients: List[Client] = []

    async def make(query: str = "") -> Client:
        client = Client()
        await client.sio.connect(bridge.url + query, socketio_path="socket.io", transports=["websocket"])
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.sio.disconnect()


async def test_execute_streams_steps_then_complete(connect: Connect) -> None:
    client = await connect("?session_id=lesson-1&streaming=true")
    await client.sio.emit("execute", {"code": "print('hi')", "user_input": ""})
    got = await client.until_complete()
    steps, complete = got[:-1], got[-1]
    assert [m["type"] for m in steps] == ["step", "step"]
    assert steps[0]["data"]["step"] == 1 and steps[0]["data"]["code"] == "print('hi')"
    assert (complete["type"], complete["success"], complete["stdout"]) == ("complete", True, "hi\n")
    assert complete["session_id"] == "lesson-1" and complete["execution_time"] >= 0


async def test_socket_runs_are_stored_in_the_named_session(connect: Connect, bridge: BridgeHost) -> None:
    client = await connect("?session_id=shared-7")
    await client.sio.emit("execute", {"code": "v = 41 + 1"})
    await client.until_complete()
    async with aiohttp.ClientSession() as http, http.get(bridge.url + "/api/v1/sessions/shared-7") as r:
        detail = await r.json()
    assert (detail["code"], detail["steps"][-1]["globals"]) == ("v = 41 + 1", {"v": 42})


async def test_without_streaming_the_steps_come_with_complete(connect: Connect) -> None:
    client = await connect("?streaming=false")
    await client.sio.emit("execute", {"code": "x = 1\ny = 2"})
    complete = await client.next("complete")
    assert len(complete["steps"]) == 3 and complete["status"] == "completed"


async def test_input_request_continues_the_same_run(connect: Connect) -> None:
    client = await connect("?streaming=true")
    code = "import os\npid = os.getpid()\nname = input('name? ')\nprint('hello', name, pid == os.getpid())\n"
    await client.sio.emit("execute", {"code": code, "user_input": ""})
    before: List[Dict[str, Any]] = []
    while True:
        message = await asyncio.wait_for(client.messages.get(), 15)
        if message["type"] == "input_request":
            break
        before.append(message)
    assert message["prompt"] == "name? "
    await client.sio.emit("input", {"value": "Ada"})
    after = await client.until_complete()
    complete = after[-1]
    assert complete["success"] is True
    assert complete["stdout"] == "name? Ada\nhello Ada True\n"
    numbers = [m["data"]["step"] for m in before + after[:-1]]
    assert numbers == list(range(1, len(numbers) + 1))  # one run, not a re-run from the start


async def test_failures_are_error_messages(connect: Connect) -> None:
    client = await connect()
    await client.sio.emit("execute", {"user_input": ""})
    missing = await client.next("error")
    assert missing["error_code"] == "MISSING_FIELD"
    await client.sio.emit("input", {"value": "x"})
    assert (await client.next("error"))["error_code"] == "NOT_WAITING"
    await client.sio.emit("execute", {"code": "1/0"})
    got = await client.until_complete()
    assert got[-1]["type"] == "complete" and got[-1]["success"] is False
    assert got[-1]["error"]["type"] == "ZeroDivisionError"


async def test_rooms_broadcast_to_every_other_member(connect: Connect) -> None:
    alice, bob, carol = await connect(), await connect(), await connect()
    for client in (alice, bob, carol):
        ack = await client.sio.call("join_room", {"room_id": "class-7"}, timeout=10)
        assert ack == {"success": True, "room_id": "class-7"}
    ack = await alice.sio.call("broadcast", {"room_id": "class-7", "data": {"line": 3}}, timeout=10)
    assert ack["success"] is True
    for other in (bob, carol):
        message = await other.next("broadcast")
        expected = {"type": "broadcast", "room_id": "class-7", "data": {"line": 3},
                    "from": alice.sio.get_sid()}
        assert message == expected
    await carol.sio.call("leave_room", {"room_id": "class-7"}, timeout=10)
    await bob.sio.call("broadcast", {"room_id": "class-7", "data": "second"}, timeout=10)
    assert (await alice.next("broadcast"))["data"] == "second"
    refused = await carol.sio.call("broadcast", {"room_id": "class-7", "data": "x"}, timeout=10)
    assert refused["error_code"] == "NOT_IN_ROOM"
    assert (await carol.next("error"))["error_code"] == "NOT_IN_ROOM"
    # nobody got anything else: the sender never hears its own broadcast, carol nothing after leaving
    assert alice.messages.empty() and bob.messages.empty() and carol.messages.empty()
