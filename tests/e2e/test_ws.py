"""/api/ws with a real aiohttp WebSocket client: the seed 003 messages, commands, errors, slow consumers."""
from __future__ import annotations

import asyncio
import socket
from typing import Any, Dict, List

import aiohttp
import pytest

from bridge.api.monitor import EVENT_HUB
from bridge.host import BridgeHost
from bridge.runs import LogLevel, RunKind, RunStatus

from .conftest import (
    EXECUTION_KEYS,
    command,
    get,
    receive,
    receive_until,
    start_command,
    wait_finished,
)


def of_run(run_id: str) -> Any:
    return lambda message: message["data"].get("execution_id") == run_id and message["type"] == "execution_completed"


async def test_connection_established(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    async with http.ws_connect("/api/ws") as first, http.ws_connect("/api/ws") as second:
        one, two = await receive(first), await receive(second)
    assert one["type"] == two["type"] == "connection_established"
    assert set(one["data"]) == {"client_id", "server_time", "connected_clients", "subscribed"}
    assert isinstance(one["data"]["client_id"], int) and one["data"]["client_id"] != two["data"]["client_id"]
    assert two["data"]["connected_clients"] == 2 and one["data"]["subscribed"] == "*"
    assert one["data"]["server_time"].endswith("Z") and one["timestamp"].endswith("Z")


async def test_a_command_run_as_the_seed_messages(http: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse,
                                                  bridge: BridgeHost) -> None:
    run_id = await start_command(http, "import sys\nprint('one')\nprint('two')\nprint('oops', file=sys.stderr)")
    messages = [m for m in await receive_until(ws, of_run(run_id)) if m["data"].get("execution_id") == run_id]
    kinds = [m["type"] for m in messages]
    assert kinds[0] == "execution_started" and kinds[-1] == "execution_completed"
    started, completed = messages[0]["data"], messages[-1]["data"]
    assert set(started) == {"execution_id", "name", "command", "started_at", "kind"} and started["kind"] == "command"
    assert {"execution_id", "status", "exit_code", "completed_at", "duration_seconds", "total_steps",
            "artifacts_count"} <= set(completed)
    assert (completed["status"], completed["exit_code"], completed["artifacts_count"]) == ("completed", 0, 0)
    lines = [m["data"] for m in messages if m["type"] == "log_entry"]
    assert {"execution_id", "step_id", "content", "timestamp", "level"} <= set(lines[0])
    assert sorted(line["content"] for line in lines) == ["one", "oops", "two"]
    assert [line["content"] for line in lines if line["stream"] == "stdout"] == ["one", "two"]
    assert {line["level"] for line in lines if line["stream"] == "stderr"} == {"error"}
    assert sorted(line["line"] for line in lines) == [0, 1, 2]


async def test_an_editor_job_steps_logs_and_artifacts(bridge: BridgeHost, ws: aiohttp.ClientWebSocketResponse) -> None:
    history = bridge.history
    run = history.create(RunKind.EDITOR, command="build()", started=True)
    step = history.begin_step(run.id, "cook")
    history.output(run.id, "a\nb")
    history.log(run.id, LogLevel.WARNING, "careful")
    bridge.artifact_files.store(history, run.id, b"data", name="Out", file_name="out.json")
    history.end_step(run.id, step.id)
    history.finish(run.id, RunStatus.FAILED, error_message="it broke")
    messages = await receive_until(ws, of_run(run.id))
    kinds = [m["type"] for m in messages]
    assert kinds == ["execution_started", "step_update", "log_entry", "log_entry", "artifact_created",
                     "step_update", "log_entry", "error", "execution_completed"]
    assert messages[1]["data"]["step"]["status"] == "running" and messages[5]["data"]["step"]["status"] == "completed"
    assert {"id", "name", "status", "index", "started_at"} <= set(messages[1]["data"]["step"])
    assert [messages[i]["data"]["content"] for i in (2, 3, 6)] == ["a", "careful", "b"]  # "b" ends with the run
    assert messages[3]["data"]["level"] == "warning" and messages[2]["data"]["step_id"] == step.id
    artifact = messages[4]["data"]["artifact"]
    assert {"id", "name", "file_name", "download_url"} <= set(artifact)
    assert artifact["download_url"] == f"/api/artifacts/{artifact['id']}/download"
    error = messages[7]["data"]
    assert set(error) == {"execution_id", "error_message", "error_code", "timestamp"}
    assert (error["error_code"], error["error_message"]) == ("EXECUTION_ERROR", "it broke")
    assert messages[8]["data"]["status"] == "failed" and messages[8]["data"]["artifacts_count"] == 1


async def pong(ws: aiohttp.ClientWebSocketResponse) -> List[Dict[str, Any]]:
    """Everything that came before the answer to a ping: the hub answers in order."""
    await command(ws, "ping")
    return (await receive_until(ws, lambda m: m["type"] == "pong"))[:-1]


async def test_subscribe_and_unsubscribe(bridge: BridgeHost, ws: aiohttp.ClientWebSocketResponse) -> None:
    history = bridge.history
    await command(ws, "unsubscribe")
    assert (await receive(ws))["data"] == {"execution_id": "*"}
    quiet = history.create(RunKind.EDITOR, command="1", started=True)
    history.finish(quiet.id, RunStatus.COMPLETED)
    assert await pong(ws) == []
    watched, other = (history.create(RunKind.EDITOR, command=str(n)) for n in range(2))
    await command(ws, "subscribe", watched.id)
    assert (await receive(ws)) | {"timestamp": None} == {"type": "subscribed", "data": {"execution_id": watched.id},
                                                         "timestamp": None}
    for run in (other, watched):
        history.start(run.id)
        history.finish(run.id, RunStatus.COMPLETED)
    seen = await pong(ws)
    assert {m["data"]["execution_id"] for m in seen} == {watched.id}
    assert [m["type"] for m in seen] == ["execution_started", "execution_completed"]
    await command(ws, "unsubscribe", watched.id)
    await receive(ws)
    again = history.create(RunKind.EDITOR, command="2", run_id=None, started=True)
    history.finish(again.id, RunStatus.COMPLETED)
    assert await pong(ws) == []
    await command(ws, "subscribe", "*")
    await receive(ws)
    last = history.create(RunKind.EDITOR, command="3", started=True)
    assert [m["data"]["execution_id"] for m in await pong(ws)] == [last.id]
    history.finish(last.id, RunStatus.COMPLETED)


async def test_get_status(http: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
    run_id = await start_command(http, "print(1)")
    await wait_finished(http, run_id)
    await command(ws, "unsubscribe")
    await receive_until(ws, lambda m: m["type"] == "unsubscribed")  # after the run's own messages
    await command(ws, "get_status", run_id)
    status = await receive(ws)
    assert status["type"] == "status" and set(status["data"]) == {"execution_id", "execution"}
    assert set(status["data"]["execution"]) == EXECUTION_KEYS
    assert status["data"]["execution"] == (await get(http, f"/api/executions/{run_id}"))["data"]["execution"]
    await command(ws, "get_status", "nope")
    unknown = await receive(ws)
    assert unknown["type"] == "error" and unknown["data"]["error_code"] == "EXECUTION_NOT_FOUND"
    assert unknown["data"]["execution_id"] == "nope"


@pytest.mark.parametrize("sent", ["not json", "[1, 2]", '{"type": "dance"}', '{"type": "subscribe", "data": 5}',
                                  '{"type": "get_status", "data": {"execution_id": 7}}', '{"type": "get_status"}'])
async def test_a_malformed_message_gets_an_error_not_a_disconnect(ws: aiohttp.ClientWebSocketResponse,
                                                                   sent: str) -> None:
    await ws.send_str(sent)
    error = await receive(ws)
    assert error["type"] == "error" and error["data"]["error_code"] == "INVALID_MESSAGE"
    assert error["data"]["error_message"]
    await ws.send_bytes(b"\x00")
    assert (await receive(ws))["data"]["error_code"] == "INVALID_MESSAGE"
    assert await pong(ws) == []  # still connected


async def test_a_bad_origin_is_refused(http: aiohttp.ClientSession) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await http.ws_connect("/api/ws", headers={"Origin": "http://evil.example"})
    assert refused.value.status == 403
    async with http.get("/api/ws", headers={"Origin": "http://evil.example", "Connection": "Upgrade",
                                            "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                                            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}) as response:
        body = await response.json()
    assert response.status == 403 and body["error_code"] == "FORBIDDEN" and body["data"] is None


async def test_the_token_is_required(start_bridge: Any) -> None:
    bridge: BridgeHost = start_bridge(token="s3cret")
    async with aiohttp.ClientSession(base_url=bridge.url) as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect("/api/ws")
        assert refused.value.status == 401
        async with http.ws_connect("/api/ws", headers={"Authorization": "Bearer s3cret"}) as ws:
            assert (await receive(ws))["type"] == "connection_established"


async def test_a_plain_get_is_400(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/ws") as response:
        assert response.status == 400 and (await response.json())["error_code"] == "WEBSOCKET_REQUIRED"


def small_receive_buffer(info: Any) -> socket.socket:
    """A client socket whose kernel buffer cannot hide a reader that never reads."""
    sock = socket.socket(info[0], info[1], info[2])
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    return sock


@pytest.mark.slow
async def test_a_slow_consumer_is_disconnected_and_the_run_goes_on(start_bridge: Any) -> None:
    host: BridgeHost = start_bridge(output_limit_bytes=16 * 1024 * 1024)
    assert host.app is not None
    host.app[EVENT_HUB].queue_size = 200
    connector = aiohttp.TCPConnector(socket_factory=small_receive_buffer)
    async with aiohttp.ClientSession(base_url=host.url) as http, \
            aiohttp.ClientSession(base_url=host.url, connector=connector) as slow_session:
        slow = await slow_session.ws_connect("/api/ws", autoping=False)
        run_id = await start_command(http, "for i in range(100000): print('line', i, 'x' * 40)")
        execution = await wait_finished(http, run_id, timeout=60)  # the slow client reads nothing meanwhile
        assert execution["status"] == "completed" and execution["exit_code"] == 0
        output = (await get(http, f"/api/executions/{run_id}/output"))["data"]["output"]
        assert output.count("\n") == 100000
        last: Dict[str, Any] = {}
        while True:  # now read what reached it: at most the queue and the socket buffers, then the farewell
            message = await slow.receive(timeout=30)
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            last = message.json()
        assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
        assert last["type"] == "error" and last["data"]["error_code"] == "SLOW_CONSUMER"
        await slow.close()
        for _ in range(100):
            if (await get(http, "/api/health/status"))["data"]["websocket"]["connected_clients"] == 0:
                break
            await asyncio.sleep(0.05)
        assert (await get(http, "/api/health/status"))["data"]["websocket"]["connected_clients"] == 0
