"""Trace runs enter the run history: through the real headless bridge, over HTTP, SSE and Socket.IO."""

from __future__ import annotations

import asyncio
from typing import Any, Coroutine, Dict, TypeVar

import aiohttp
import orjson
import socketio

from bridge.api import state
from bridge.host import BridgeHost
from bridge.runs import Run, RunKind, RunQuery, RunRecord, RunStatus, StopReason

from .boxes import WAIT_FOR_RELEASE, WAIT_HERE
from .sse import events
from .test_http import post

T = TypeVar("T")


def trace_runs(host: BridgeHost) -> list:
    host.history.flush().result(10)
    return list(host.history.list(RunQuery(kind=RunKind.TRACE)).items)


def only_run(host: BridgeHost) -> RunRecord:
    runs = trace_runs(host)
    assert len(runs) == 1, runs
    record = host.history.get(runs[0].id)
    assert record is not None
    return record


async def on_server_loop(host: BridgeHost, work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on the bridge's own loop (RunControl and the runs live there)."""
    assert host._loop is not None
    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, host._loop))


async def live_trace(host: BridgeHost) -> Run:
    for _ in range(500):
        live = [run for run in host.history.live() if run.kind is RunKind.TRACE]
        if live:
            return live[0]
        await asyncio.sleep(0.02)
    raise AssertionError("no trace run became live")


async def test_a_traced_run_is_recorded_with_its_output_and_session(bridge: BridgeHost,
                                                                    http: aiohttp.ClientSession) -> None:
    reply = await post(http, "/api/v1/execute", {"code": "print('hi')\nx = 2"})
    assert reply["_status"] == 200 and set(reply) - {"_status"} == {
        "session_id", "status", "steps", "total_steps", "current_step", "stdout", "stderr", "error",
        "execution_time"}  # the reply is unchanged: nothing about the history in it
    record = only_run(bridge)
    run = record.run
    assert (run.status, run.command, run.user, run.session_id) == (RunStatus.COMPLETED, "print('hi')\nx = 2",
                                                                    "local", reply["session_id"])
    assert record.output == "hi\n"
    assert {k: run.metadata[k] for k in ("language", "trace_status", "total_steps", "session_id", "traced",
                                         "transport")} == {
        "language": "python", "trace_status": "completed", "total_steps": reply["total_steps"],
        "session_id": reply["session_id"], "traced": True, "transport": "http"}


async def test_a_program_that_raises_is_failed_with_its_error(bridge: BridgeHost,
                                                              http: aiohttp.ClientSession) -> None:
    reply = await post(http, "/api/v1/execute/simple", {"code": "print('before')\n1/0"})
    assert reply["status"] == "error"
    run = only_run(bridge).run
    assert (run.status, run.error_type, run.error_message) == (RunStatus.FAILED, "ZeroDivisionError",
                                                               "division by zero")
    assert run.traceback and "ZeroDivisionError" in run.traceback
    assert run.metadata["traced"] is False and run.metadata["trace_status"] == "error"


async def test_the_step_limit_is_a_completed_run_that_says_so(bridge: BridgeHost,
                                                              http: aiohttp.ClientSession) -> None:
    await post(http, "/api/v1/execute", {"code": "while True:\n    pass", "options": {"max_steps": 20}})
    run = only_run(bridge).run
    assert (run.status, run.metadata["trace_status"], run.metadata["total_steps"]) == (RunStatus.COMPLETED,
                                                                                        "limit_reached", 21)


async def test_a_rejected_request_is_not_a_run(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    reply = await post(http, "/api/v1/execute", {"code": "x = 1", "options": {"max_steps": 10**9}})
    assert reply["_status"] == 400
    assert trace_runs(bridge) == []


async def test_a_timeout_is_recorded_with_its_stop_reason(start_bridge: Any) -> None:
    host = start_bridge(trace={"wall_time_s": 1.0})
    async with aiohttp.ClientSession(base_url=host.url) as http:
        reply = await post(http, "/api/v1/execute/simple", {"code": "print('started', flush=True)\n"
                                                                     "import time\ntime.sleep(60)"})
    assert reply["status"] == "timeout"
    record = only_run(host)
    assert (record.run.status, record.run.stop_reason) == (RunStatus.FAILED, StopReason.TIMEOUT)
    assert record.output == reply["stdout"]


async def test_an_sse_run_is_recorded_and_can_be_cancelled_from_the_history(bridge: BridgeHost,
                                                                            http: aiohttp.ClientSession) -> None:
    async with http.get("/api/v1/execute/stream", params={"code": "print('streamed')"}) as response:
        got = [(e, orjson.loads(d)) async for e, d in events(response)]
    assert got[-1][0] == "complete"
    streamed = only_run(bridge).run
    assert (streamed.status, streamed.metadata["transport"]) == (RunStatus.COMPLETED, "sse")

    code = WAIT_FOR_RELEASE + "print('waiting')\n" + WAIT_HERE
    control = bridge.app[state.RUN_CONTROL] if bridge.app is not None else None
    assert control is not None
    async with http.get("/api/v1/execute/stream", params={"code": code}) as response:
        run = await live_trace(bridge)
        assert await on_server_loop(bridge, control.cancel(run)) is True
        got = [(e, orjson.loads(d)) async for e, d in events(response)]
    assert got[-1][0] == "error" and got[-1][1]["error_code"] == "RUN_CANCELLED"
    cancelled = bridge.history.run(run.id)
    assert (cancelled.status, cancelled.stop_reason) == (RunStatus.CANCELLED, StopReason.CANCEL)


async def test_an_http_run_cancelled_from_the_history_gets_a_409(bridge: BridgeHost,
                                                                 http: aiohttp.ClientSession) -> None:
    assert bridge.app is not None
    control = bridge.app[state.RUN_CONTROL]
    code = WAIT_FOR_RELEASE + WAIT_HERE
    request = asyncio.ensure_future(post(http, "/api/v1/execute", {"code": code}))
    run = await live_trace(bridge)
    assert await on_server_loop(bridge, control.cancel(run)) is True
    reply = await request
    assert (reply["_status"], reply["error_code"]) == (409, "RUN_CANCELLED")
    assert bridge.history.run(run.id).status is RunStatus.CANCELLED


async def test_a_client_that_goes_away_leaves_a_cancelled_run(bridge: BridgeHost,
                                                              http: aiohttp.ClientSession) -> None:
    code = WAIT_FOR_RELEASE + "print('waiting')\n" + WAIT_HERE
    async with http.get("/api/v1/execute/stream", params={"code": code}) as response:
        async for event, _ in events(response):
            if event == "step":
                break
    for _ in range(500):
        if not bridge.history.live():
            break
        await asyncio.sleep(0.02)
    run = only_run(bridge).run
    assert (run.status, run.stop_reason) == (RunStatus.CANCELLED, StopReason.CANCEL)


async def test_a_socketio_run_is_recorded(bridge: BridgeHost) -> None:
    client = socketio.AsyncClient(reconnection=False)
    messages: asyncio.Queue[Dict[str, Any]] = asyncio.Queue()
    client.on("message", messages.put)
    await client.connect(bridge.url + "?session_id=lesson-7&streaming=false", socketio_path="socket.io",
                         transports=["websocket"])
    try:
        await client.emit("execute", {"code": "print(input('n? '))", "user_input": "5"})
        while (await asyncio.wait_for(messages.get(), 15))["type"] != "complete":
            pass
    finally:
        await client.disconnect()
    record = only_run(bridge)
    assert (record.run.status, record.run.session_id, record.run.metadata["transport"]) == (
        RunStatus.COMPLETED, "lesson-7", "socketio")
    assert record.output == "n? 5\n5\n"
