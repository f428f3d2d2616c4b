"""Every error code of /api/v1/python, triggered by the input that causes it."""
from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Dict

import aiohttp
import pytest

from bridge.host import BridgeHost


async def post_raw(http: aiohttp.ClientSession, data: bytes, content_type: str = "application/json") -> Any:
    async with http.post("/api/v1/python/execute", data=data, headers={"Content-Type": content_type}) as response:
        return response.status, await response.json()


async def post_json(http: aiohttp.ClientSession, body: Any) -> Any:
    async with http.post("/api/v1/python/execute", json=body) as response:
        return response.status, await response.json()


def assert_error(status: int, body: Dict[str, Any], expected_status: int, code: str) -> None:
    assert status == expected_status, body
    assert body["success"] is False and body["error_code"] == code, body
    assert body["error"]


async def test_body_that_is_not_json(http: aiohttp.ClientSession) -> None:
    status, body = await post_raw(http, b"print(1)")
    assert_error(status, body, 400, "INVALID_REQUEST")
    assert body["error"].startswith("Request body must be valid JSON")


async def test_empty_body(http: aiohttp.ClientSession) -> None:
    status, body = await post_raw(http, b"")
    assert_error(status, body, 400, "INVALID_REQUEST")


async def test_body_that_is_not_an_object(http: aiohttp.ClientSession) -> None:
    status, body = await post_json(http, ["print(1)"])
    assert_error(status, body, 400, "INVALID_REQUEST")
    assert "JSON object" in body["error"]


async def test_missing_code(http: aiohttp.ClientSession) -> None:
    status, body = await post_json(http, {"timeout": 5})
    assert_error(status, body, 400, "MISSING_FIELD")
    assert body["error"] == "Missing required field: code"


@pytest.mark.parametrize(
    "fields, fragment",
    [
        ({"code": 42}, "code: Input should be a valid string"),
        ({"code": "1", "timeout": -1}, "timeout: Input should be greater than 0"),
        ({"code": "1", "timeout": 0}, "timeout: Input should be greater than 0"),
        ({"code": "1", "timeout": 10**9}, "timeout must be between 0 and 3600 seconds, got 1e+09"),
        ({"code": "1", "timeout": "30"}, "timeout: Input should be a valid number"),
        ({"code": "1", "async": "yes"}, "async: Input should be a valid boolean"),
        ({"code": "1", "mode": "run"}, "mode: Input should be 'exec' or 'eval'"),
        ({"code": "1", "session_id": "../etc"}, "session_id: String should match pattern"),
        ({"code": "1", "name": "x" * 201}, "name: String should have at most 200 characters"),
        ({"code": "1", "timout": 5}, "timout: unknown field"),
    ],
)
async def test_bad_fields_name_the_field(http: aiohttp.ClientSession, fields: Dict[str, Any], fragment: str) -> None:
    status, body = await post_json(http, fields)
    assert_error(status, body, 400, "INVALID_REQUEST")
    assert fragment in body["error"]


async def test_timeout_above_the_configured_maximum(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(max_timeout=10)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        status, body = await post_json(http, {"code": "1", "timeout": 20})
    assert_error(status, body, 400, "INVALID_REQUEST")
    assert body["error"] == "timeout must be between 0 and 10 seconds, got 20"


async def test_wrong_content_type(http: aiohttp.ClientSession) -> None:
    status, body = await post_raw(http, b'{"code": "1"}', content_type="text/plain")
    assert_error(status, body, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert "application/json" in body["error"]


async def test_body_over_the_limit(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(max_body_bytes=4096)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        status, body = await post_json(http, {"code": "x = '" + "a" * 5000 + "'"})
    assert_error(status, body, 413, "PAYLOAD_TOO_LARGE")
    assert "4096" in body["error"]


async def test_chunked_body_over_the_limit(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(max_body_bytes=4096)

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit is met while reading
        yield b'{"code": "x = \''
        for _ in range(10):
            yield b"a" * 1000
        yield b'\'"}'

    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(base_url=host.url) as http, http.post(
        "/api/v1/python/execute", data=chunks(), headers=headers
    ) as response:
        status, body = response.status, await response.json()
    assert_error(status, body, 413, "PAYLOAD_TOO_LARGE")
    assert "4096" in body["error"]


async def test_job_lookup_errors(http: aiohttp.ClientSession) -> None:
    for method in ("GET", "DELETE"):
        async with http.request(method, "/api/v1/python/job") as response:
            assert_error(response.status, await response.json(), 400, "MISSING_PARAMETER")
        async with http.request(method, "/api/v1/python/job", params={"id": "no-such-job"}) as response:
            body = await response.json()
            assert_error(response.status, body, 404, "JOB_NOT_FOUND")
            assert body["error"] == "Job with ID 'no-such-job' not found"


async def test_queue_full(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(queue_limit=3)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        replies = []
        for _ in range(8):
            async with http.post("/api/v1/python/execute",
                                 json={"code": "import time; time.sleep(0.2)", "async": True}) as response:
                replies.append((response.status, await response.json(), response.headers.get("Retry-After")))
    full = [reply for reply in replies if reply[0] == 503]
    assert full, replies
    status, body, retry_after = full[0]
    assert_error(status, body, 503, "QUEUE_FULL")
    assert retry_after == "1"
    assert all(reply[0] == 202 for reply in replies[:3])


async def test_unknown_route_and_method(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/v1/python/nope") as response:
        assert_error(response.status, await response.json(), 404, "NOT_FOUND")
    async with http.put("/api/v1/python/execute", json={}) as response:
        assert_error(response.status, await response.json(), 405, "METHOD_NOT_ALLOWED")


async def test_editor_not_ticking(start_bridge, editor_loop) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(tick_stall_seconds=0.3)
    while host.tickqueue.tick_count == 0:
        await asyncio.sleep(0.01)
    # Stand-in for a frozen editor: the tick callback stops being called.
    host.unreal.unregister_slate_post_tick_callback(host._tick_handle)
    host._tick_handle = None
    await asyncio.sleep(0.5)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        status, body = await post_json(http, {"code": "1"})
        assert_error(status, body, 503, "EDITOR_NOT_TICKING")
        assert "has not ticked" in body["error"]
        async with http.get("/api/v1/ready") as response:
            ready = await response.json()
        assert response.status == 503 and ready["ready"] is False and "ticked" in ready["reason"]


async def test_editor_that_never_ticks(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(tick_stall_seconds=0.3)
    # A commandlet or -nullrhi: registration "succeeds" but the callback never fires.
    host.unreal.unregister_slate_post_tick_callback(host._tick_handle)
    host._tick_handle = None
    host.tickqueue.last_tick = None
    await asyncio.sleep(0.5)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        status, body = await post_json(http, {"code": "1"})
    assert_error(status, body, 503, "EDITOR_NOT_TICKING")
    assert "never ticked" in body["error"] and "commandlet" in body["error"]


async def test_pending_job_fails_fast_when_ticking_stops(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(tick_stall_seconds=0.3)
    while host.tickqueue.tick_count == 0:
        await asyncio.sleep(0.01)
    host.unreal.unregister_slate_post_tick_callback(host._tick_handle)
    host._tick_handle = None
    async with aiohttp.ClientSession(base_url=host.url) as http:
        status, body = await post_json(http, {"code": "1"})
        assert_error(status, body, 503, "EDITOR_NOT_TICKING")
        async with http.get("/api/v1/python/jobs") as response:
            jobs = (await response.json())["jobs"]
    assert jobs[0]["status"] == "cancelled"
