"""The trace API end to end: a real headless bridge over real HTTP and a real SSE stream."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import aiohttp
import orjson

from bridge.api.trace import TRACE_RUNNER
from bridge.host import BridgeHost

from .boxes import WAIT_FOR_RELEASE, WAIT_HERE, gone, processes_with, release
from .sse import events


async def post(http: aiohttp.ClientSession, path: str, body: Any) -> Dict[str, Any]:
    async with http.post(path, json=body) as response:
        reply = await response.json()
        reply["_status"] = response.status
        return reply  # type: ignore[no-any-return]


async def test_execute_returns_the_seed_shape_with_opt_steps(http: aiohttp.ClientSession) -> None:
    body = {"code": "x = [1, 2, 3]\nfor i in x:\n    print(i)", "user_input": "", "session_id": None,
            "options": {"trace": True, "max_steps": 1000}}
    reply = await post(http, "/api/v1/execute", body)
    assert reply["_status"] == 200
    assert set(reply) - {"_status"} == {"session_id", "status", "steps", "total_steps", "current_step",
                                        "stdout", "stderr", "error", "execution_time"}
    assert (reply["status"], reply["stdout"], reply["stderr"], reply["error"]) == ("completed", "1\n2\n3\n",
                                                                                   None, None)
    assert reply["total_steps"] == len(reply["steps"]) == reply["current_step"]
    first = reply["steps"][0]
    assert (first["step"], first["line"], first["code"]) == (1, 1, "x = [1, 2, 3]")
    assert first["event"] == "step_line"
    assert reply["steps"][-1]["heap"]["1"] == ["LIST", 1, 2, 3]


async def test_execute_simple_has_no_steps(http: aiohttp.ClientSession) -> None:
    reply = await post(http, "/api/v1/execute/simple", {"code": "print(input('n? '))", "user_input": "7"})
    assert reply["_status"] == 200 and "steps" not in reply
    assert (reply["status"], reply["stdout"]) == ("completed", "n? 7\n7\n")


async def test_runtime_errors_and_limits_come_back_as_statuses(http: aiohttp.ClientSession) -> None:
    err = await post(http, "/api/v1/execute", {"code": "def f():\n    return 1/0\nf()\n"})
    assert err["status"] == "error"
    assert {k: err["error"][k] for k in ("type", "message", "line")} == {
        "type": "ZeroDivisionError", "message": "division by zero", "line": 2}
    assert "line 3, in <module>" in err["error"]["traceback"]
    loop = {"code": "while True:\n    pass", "options": {"max_steps": 20}}
    limited = await post(http, "/api/v1/execute", loop)
    assert (limited["status"], limited["total_steps"]) == ("limit_reached", 21)
    waiting = await post(http, "/api/v1/execute", {"code": "a = input('a? ')"})
    assert waiting["status"] == "awaiting_input"
    assert waiting["steps"][-1]["prompt"] == "a? "


async def test_bad_requests_are_clear_4xx(http: aiohttp.ClientSession) -> None:
    missing = await post(http, "/api/v1/execute", {"user_input": ""})
    assert (missing["_status"], missing["error_code"]) == (400, "MISSING_FIELD")
    too_many = await post(http, "/api/v1/execute", {"code": "x = 1", "options": {"max_steps": 10**6}})
    assert too_many["_status"] == 400 and too_many["error_code"] == "INVALID_REQUEST"
    assert too_many["error"] == "options.max_steps: Input should be less than or equal to 10000 (got 1000000)"
    unknown = await post(http, "/api/v1/execute", {"code": "x = 1", "session_id": "nope"})
    assert (unknown["_status"], unknown["error_code"]) == (404, "SESSION_NOT_FOUND")
    headers = {"Content-Type": "application/json"}
    async with http.post("/api/v1/execute", data=b"{not json", headers=headers) as r:
        assert r.status == 400


async def test_sessions_are_created_updated_listed_and_deleted(http: aiohttp.ClientSession) -> None:
    first = await post(http, "/api/v1/execute", {"code": "a = 1"})
    second = await post(http, "/api/v1/execute/simple", {"code": "b = 2"})
    rerun = {"code": "a = 3\nprint(a)", "session_id": first["session_id"]}
    again = await post(http, "/api/v1/execute", rerun)
    assert again["session_id"] == first["session_id"]
    async with http.get("/api/v1/sessions", params={"limit": "2"}) as r:
        listing = await r.json()
    assert [s["session_id"] for s in listing["sessions"]] == [first["session_id"], second["session_id"]]
    assert listing["total"] >= 2 and listing["sessions"][0]["runs"] == 2
    async with http.get(f"/api/v1/sessions/{first['session_id']}") as r:
        detail = await r.json()
    assert (detail["code"], detail["stdout"], len(detail["steps"])) == ("a = 3\nprint(a)", "3\n", 3)
    async with http.delete(f"/api/v1/sessions/{first['session_id']}") as r:
        assert r.status == 200
    async with http.get(f"/api/v1/sessions/{first['session_id']}") as r:
        assert r.status == 404 and (await r.json())["error_code"] == "SESSION_NOT_FOUND"
    async with http.get("/api/v1/sessions", params={"limit": "0"}) as r:
        assert r.status == 400


async def test_openapi_documents_the_trace_routes(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/openapi.json") as r:
        doc = await r.json()
    for path in ("/api/v1/execute", "/api/v1/execute/simple", "/api/v1/execute/stream", "/api/v1/sessions"):
        assert path in doc["paths"]


async def test_sse_streams_steps_while_the_program_runs(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    # The program waits for a signal the client sends only after receiving streamed steps.
    code = WAIT_FOR_RELEASE + "print('waiting')\n" + WAIT_HERE + "print('done')\n"
    received: List[Dict[str, Any]] = []
    complete: Dict[str, Any] = {}
    async with http.get("/api/v1/execute/stream", params={"code": code, "max_steps": "5000"}) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        async for event, data in events(response):
            if event == "step":
                received.append(orjson.loads(data))
                if received[-1]["stdout"] == "waiting\n" and received[-1]["line"] == 4:
                    assert release(bridge.app[TRACE_RUNNER]) == 1
            elif event == "complete":
                complete = orjson.loads(data)
                break
    assert complete["status"] == "completed" and complete["stdout"] == "waiting\ndone\n"
    assert complete["total_steps"] == len(received)
    assert [s["step"] for s in received] == list(range(1, len(received) + 1))


async def test_sse_replays_a_stored_session_and_rejects_bad_queries(http: aiohttp.ClientSession) -> None:
    stored = await post(http, "/api/v1/execute", {"code": "print(input())", "user_input": "hey"})
    async with http.get("/api/v1/execute/stream", params={"session_id": stored["session_id"]}) as response:
        got = [(e, orjson.loads(d)) async for e, d in events(response)]
    assert [e for e, _ in got] == ["step", "step", "complete"]
    assert got[-1][1]["stdout"] == "hey\nhey\n" and got[-1][1]["session_id"] == stored["session_id"]
    async with http.get("/api/v1/execute/stream") as response:
        assert response.status == 400 and (await response.json())["error_code"] == "MISSING_PARAMETER"
    async with http.get("/api/v1/execute/stream", params={"code": "x=1", "max_steps": "lots"}) as response:
        assert response.status == 400


async def test_sse_client_disconnect_stops_the_worker(http: aiohttp.ClientSession) -> None:
    marker = f"{uuid.uuid4().int % 10**6}.{uuid.uuid4().int % 10**6}"  # found on the host by its command line
    code = f"import subprocess, time\nsubprocess.Popen(['sleep', {marker!r}])\nprint('started')\ntime.sleep(60)\n"
    async with http.get("/api/v1/execute/stream", params={"code": code}) as response:
        async for event, data in events(response):
            if event == "step" and orjson.loads(data)["stdout"]:
                assert processes_with(marker), "the program's child is not running"
                break
    assert await gone(marker), "the worker's box still runs after the client disconnected"


async def test_breakpoints_and_allowed_modules_reach_the_tracer(http: aiohttp.ClientSession) -> None:
    code = "a = 1\nb = 2\nc = 3\nd = 4\n"
    reply = await post(http, "/api/v1/execute", {"code": code, "options": {"breakpoints": [2]}})
    assert reply["_status"] == 200, reply
    lines = {step.get("line") for step in reply["steps"]}
    assert 2 in lines and 1 not in lines and 4 not in lines, lines
    reply = await post(http, "/api/v1/execute", {"code": "import os\n", "options": {"allowed_modules": ["math"]}})
    assert reply["_status"] == 200, reply
    assert reply["steps"][-1]["event"] == "exception" and "os not supported" in reply["steps"][-1]["exception_msg"]
