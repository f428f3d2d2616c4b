"""The trace API end to end: a real headless bridge over real HTTP and a real SSE stream."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from pathlib import Path
from typing import Any, Dict, List

import aiohttp
import orjson
import psutil

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
    assert too_many["_status"] == 400 and "max_steps must be between 1 and" in too_many["error"]
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


async def test_sse_streams_steps_while_the_program_runs(http: aiohttp.ClientSession) -> None:
    # The program waits for a file the client creates only after receiving streamed steps.
    code = ("import os, time\nprint(os.getcwd())\nwhile not os.path.exists('go'):\n"
            "    time.sleep(0.02)\nprint('done')\n")
    received: List[Dict[str, Any]] = []
    complete: Dict[str, Any] = {}
    async with http.get("/api/v1/execute/stream", params={"code": code, "max_steps": "5000"}) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        async for event, data in events(response):
            if event == "step":
                received.append(orjson.loads(data))
                if len(received) == 3:
                    Path(received[-1]["stdout"].strip(), "go").write_text("")
            elif event == "complete":
                complete = orjson.loads(data)
                break
    assert complete["status"] == "completed" and complete["stdout"].endswith("done\n")
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
    marker = f"running-{uuid.uuid4().hex}"
    # The worker may live in its own PID namespace: find it on the host by the working directory it marks.
    code = f"import os, time\nopen({marker!r}, 'w').close()\nprint('started')\ntime.sleep(60)\n"
    async with http.get("/api/v1/execute/stream", params={"code": code}) as response:
        async for event, data in events(response):
            if event == "step" and orjson.loads(data)["stdout"]:
                break
    [workdir] = [str(p.parent) for p in Path(tempfile.gettempdir()).glob(f"bridge-trace-*/{marker}")]
    for _ in range(100):  # bounded wait for the kill, not a timing assertion
        if not any(_cwd(proc) == workdir for proc in psutil.process_iter()):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the worker still runs after the client disconnected")


def _cwd(proc: psutil.Process) -> str:
    try:
        return proc.cwd()
    except (psutil.Error, OSError):
        return ""
