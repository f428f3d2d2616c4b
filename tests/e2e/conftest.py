"""Shared helpers of the end-to-end tests: the monitor API (seed 003) over real HTTP and a real WebSocket."""
from __future__ import annotations

import asyncio
import sys
from typing import Any, Callable, Dict, List, Optional

import aiohttp
import pytest

from bridge.host import BridgeHost

ENVELOPE_KEYS = {"success", "data", "error", "timestamp"}
ERROR_KEYS = {"success", "data", "error", "timestamp", "error_code", "detail"}
EXECUTION_KEYS = {
    "id", "name", "command", "working_directory", "status", "exit_code", "error_message", "created_at",
    "started_at", "completed_at", "environment", "user", "tags", "total_steps", "completed_steps",
    "current_step_index", "duration_seconds", "progress_percentage", "metadata",
    "kind", "stop_reason",  # the bridge's own, beside the seed's
}
STEP_KEYS = {
    "id", "execution_id", "name", "description", "index", "status", "exit_code", "error_message", "created_at",
    "started_at", "completed_at", "estimated_duration", "stop_on_error", "duration_seconds", "metadata",
}
ARTIFACT_KEYS = {
    "id", "execution_id", "step_id", "name", "description", "file_path", "file_name", "file_size", "mime_type",
    "artifact_type", "created_at", "tags", "is_public", "retention_days", "download_url",
}
FINISHED = ("completed", "failed", "cancelled")
PYTHON = sys.executable


def python_command(code: str) -> str:
    """A command line that runs `code` with this interpreter (POSIX quoting)."""
    import shlex

    return f"{shlex.quote(PYTHON)} -c {shlex.quote(code)}"


async def reply(response: aiohttp.ClientResponse, status: int) -> Dict[str, Any]:
    """The JSON body of a monitor reply, checked for its status and its envelope."""
    body = await response.json()
    assert response.status == status, body
    if status < 400:
        assert set(body) == ENVELOPE_KEYS and body["success"] is True and body["error"] is None, body
    else:
        assert set(body) == ERROR_KEYS and body["success"] is False and body["data"] is None, body
        assert body["error"] == body["detail"] and body["timestamp"].endswith("Z")
    return dict(body)


async def get(http: aiohttp.ClientSession, path: str, status: int = 200, **kwargs: Any) -> Dict[str, Any]:
    async with http.get(path, **kwargs) as response:
        return await reply(response, status)


async def error_code(response_cm: Any, status: int) -> str:
    async with response_cm as response:
        return str((await reply(response, status))["error_code"])


async def start_command(http: aiohttp.ClientSession, code: str, **body: Any) -> str:
    async with http.post("/api/executions", json={"command": python_command(code), **body}) as response:
        return str((await reply(response, 201))["data"]["execution_id"])


async def wait_finished(http: aiohttp.ClientSession, run_id: str, timeout: float = 30.0) -> Dict[str, Any]:
    async def poll() -> Dict[str, Any]:
        while True:
            execution = (await get(http, f"/api/executions/{run_id}"))["data"]["execution"]
            if execution["status"] in FINISHED:
                return dict(execution)
            await asyncio.sleep(0.02)

    return await asyncio.wait_for(poll(), timeout)


async def receive(ws: aiohttp.ClientWebSocketResponse, timeout: float = 10.0) -> Dict[str, Any]:
    message = await ws.receive(timeout)
    assert message.type is aiohttp.WSMsgType.TEXT, message
    body = message.json()
    assert set(body) == {"type", "data", "timestamp"}, body
    return dict(body)


async def receive_until(ws: aiohttp.ClientWebSocketResponse, done: Callable[[Dict[str, Any]], bool],
                        timeout: float = 20.0) -> List[Dict[str, Any]]:
    """Every message up to and including the first that `done` accepts."""
    seen: List[Dict[str, Any]] = []

    async def collect() -> List[Dict[str, Any]]:
        while True:
            seen.append(await receive(ws))
            if done(seen[-1]):
                return seen

    return await asyncio.wait_for(collect(), timeout)


async def command(ws: aiohttp.ClientWebSocketResponse, kind: str, execution_id: Optional[str] = None) -> None:
    await ws.send_json({"type": kind, "data": {} if execution_id is None else {"execution_id": execution_id}})


@pytest.fixture
async def ws(bridge: BridgeHost, http: aiohttp.ClientSession) -> Any:
    """A WebSocket client of /api/ws, its connection_established message already read."""
    async with http.ws_connect("/api/ws") as socket:
        first = await receive(socket)
        assert first["type"] == "connection_established"
        yield socket
