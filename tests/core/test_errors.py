"""Every error code, triggered by the input that causes it: /api/v1/python, then what all routes share."""
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
        ({"code": "1", "timeout": 10**9}, "timeout: Input should be less than or equal to 3600 (got 1000000000)"),
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


async def request(http: aiohttp.ClientSession, method: str, path: str, **kwargs: Any) -> Any:
    async with http.request(method, path, **kwargs) as response:
        return response.status, await response.json(), response.headers


async def test_every_error_body_has_the_same_fields(http: aiohttp.ClientSession) -> None:
    for method, path, body in (("POST", "/api/v1/python/execute", {}), ("POST", "/api/v1/execute", {}),
                               ("POST", "/api/execute", {"language": "python"})):
        status, reply, _ = await request(http, method, path, json=body)
        assert_error(status, reply, 400, "MISSING_FIELD")
        assert set(reply) == {"success", "error_code", "error", "detail"} and reply["detail"] == reply["error"]


async def test_wrong_method_is_405_with_allow_before_the_body_checks(http: aiohttp.ClientSession) -> None:
    # text/plain would be a 415 if the Content-Type check ran before routing
    for path, allowed in (("/api/v1/python/info", "GET"), ("/api/execute", "POST"), ("/api/v1/sessions/x", "GET")):
        status, reply, headers = await request(http, "PUT", path, data=b"x", headers={"Content-Type": "text/plain"})
        assert_error(status, reply, 405, "METHOD_NOT_ALLOWED")
        assert allowed in headers["Allow"] and reply["error"].startswith(f"PUT is not allowed on {path}")
    status, reply, _ = await request(http, "POST", "/api/v1/nowhere", data=b"x", headers={"Content-Type": "text/plain"})
    assert_error(status, reply, 404, "NOT_FOUND")


@pytest.mark.parametrize(
    "path, message",
    [
        ("/api/v1/sessions?limit=", 'limit: Input should be a valid integer in decimal digits (got "")'),
        ("/api/v1/sessions?limit=0", 'limit: Input should be greater than or equal to 1 (got "0")'),
        ("/api/v1/sessions?limit=201", 'limit: Input should be less than or equal to 200 (got "201")'),
        ("/api/v1/sessions?limit=1_0", 'limit: Input should be a valid integer in decimal digits (got "1_0")'),
        ("/api/v1/sessions?offset=-1", 'offset: Input should be greater than or equal to 0 (got "-1")'),
        ("/api/v1/sessions?limit=5&limit=6", "query parameter limit is given 2 times; give it once"),
        ("/api/v1/sessions?limt=5", "limt: unknown query parameter; remove it or check its spelling"),
        ("/api/v1/python/job?id=", 'id: String should have at least 1 character (got "")'),
        ("/api/v1/execute/stream?code=1&max_steps=10001",
         'max_steps: Input should be less than or equal to 10000 (got "10001")'),
        ("/api/v1/execute/stream?session_id=", "session_id: String should match pattern"),
        ("/api/v1/sessions/no%20spaces", "session_id: String should match pattern"),
    ],
)
async def test_bad_query_and_path_parameters_name_the_parameter(
    http: aiohttp.ClientSession, path: str, message: str
) -> None:
    status, reply, _ = await request(http, "GET", path)
    assert_error(status, reply, 400, "INVALID_REQUEST")
    assert reply["error"].startswith(message), reply


@pytest.mark.parametrize(
    "path, body, message",
    [
        ("/api/v1/execute", {"code": "1", "options": {"trace": 0}},
         "options.trace: Input should be a valid boolean (got 0)"),
        ("/api/v1/execute", {"code": "1", "options": {"max_steps": True}},
         "options.max_steps: Input should be a valid integer (got true)"),
        ("/api/v1/execute", {"code": "1", "options": {"max_steps": 2.5}},
         "options.max_steps: Input should be a valid integer (got 2.5)"),
        ("/api/v1/execute/simple", {"code": "1", "session_id": ""}, "session_id: String should match pattern"),
        ("/api/v1/scripts/list_assets/run", {"async": 1}, "async: Input should be a valid boolean (got 1)"),
        ("/api/v1/scripts/list_assets/run", {"timeout": 3601},
         "timeout: Input should be less than or equal to 3600 (got 3601)"),
        ("/api/execute", {"code": "1", "language": "python", "memory_mb": True},
         "memory_mb: Input should be a valid integer (got true)"),
        ("/api/execute", {"code": "1", "language": "python", "timeout_ms": "5000"},
         'timeout_ms: Input should be a valid integer (got "5000")'),
    ],
)
async def test_bodies_are_strict_about_types(
    http: aiohttp.ClientSession, path: str, body: Dict[str, Any], message: str
) -> None:
    status, reply, _ = await request(http, "POST", path, json=body)
    assert_error(status, reply, 400, "INVALID_REQUEST")
    assert reply["error"].startswith(message), reply


async def test_a_whole_number_written_as_a_float_is_an_integer(http: aiohttp.ClientSession) -> None:
    # JSON Schema's "integer" (and so the document) includes 5.0
    status, reply, _ = await request(http, "POST", "/api/v1/execute/simple",
                                     json={"code": "print(1)", "options": {"max_steps": 5.0}})
    assert status == 200 and reply["stdout"] == "1\n", reply
