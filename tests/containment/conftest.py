"""Every backend that runs untrusted code, behind one interface, driven through a real headless bridge.

The same hostile programs go to the sandbox (`POST /api/execute`), the tracer in its bubblewrap box
and the tracer in the Landlock fallback (`POST /api/v1/execute/simple`); after each, the server must
still be healthy and still run code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, AsyncIterator, Dict, Iterator

import aiohttp
import pytest

from bridge.config import Settings
from bridge.host import BridgeHost
from mock_unreal.editor import EditorLoop
from tests.conftest import unreal
from tests.needs import missing

BACKENDS = ("sandbox", "trace", "trace-landlock")
BOX_UID = 65534
SYSTEM_PYTHON = "/usr/bin/python3"  # the fallback runs the worker as uid 65534 on the host's own paths
TRACE_LIMITS: Dict[str, Any] = {"wall_time_s": 15.0, "cpu_time_s": 10, "memory_mb": 256, "pool_size": 1}
STATUSES = {"completed": "ok", "ok": "ok", "error": "error", "runtime_error": "error", "signal": "error"}


@dataclass
class Ran:
    """One run's outcome, in the same words for every backend."""

    status: str  # ok, error, timeout, memory_limit, output_limit
    stdout: str
    stderr: str
    reply: Dict[str, Any]


@dataclass
class Backend:
    """A backend of a running bridge, and how to give it a Python program."""

    name: str
    bridge: BridgeHost
    http: aiohttp.ClientSession

    @property
    def health_key(self) -> str:
        return "sandbox" if self.name == "sandbox" else "trace"

    async def run(self, code: str, timeout_s: int = 10, memory_mb: int = 256) -> Ran:
        if self.name == "sandbox":
            body = {"language": "python", "code": code, "timeout_ms": timeout_s * 1000, "memory_mb": memory_mb}
            path = "/api/execute"
        else:
            body, path = {"code": code}, "/api/v1/execute/simple"
        async with self.http.post(path, json=body) as response:
            reply = await response.json()
            assert response.status in (200, 408), (response.status, reply)
        status = reply["status"]
        return Ran(STATUSES.get(status, status), reply.get("stdout") or "", reply.get("stderr") or "", reply)

    async def assert_healthy(self) -> None:
        """The server answers health, says the box is in force, and still runs code."""
        async with self.http.get("/api/v1/health") as response:
            assert response.status == 200
            health = await response.json()
        assert health["containment"][self.health_key]["available"] is True, health
        again = await self.run("print('still here')")
        assert (again.status, again.stdout) == ("ok", "still here\n"), again


def _start(editor_loop: EditorLoop, tmp: Any, **settings: Any) -> BridgeHost:
    host = BridgeHost(Settings(port=0, **settings), unreal)
    host.start(token_dir=tmp)
    return host


@pytest.fixture(scope="module")
def bridges(editor_loop: EditorLoop, tmp_path_factory: Any) -> Iterator[Dict[str, BridgeHost]]:
    """One bridge with the bubblewrap boxes (sandbox and tracer), one with the tracer's Landlock fallback."""
    cache = tmp_path_factory.mktemp("sandbox-cache")
    os.chmod(cache, 0o700)
    boxed = _start(editor_loop, tmp_path_factory.mktemp("boxed"), trace=TRACE_LIMITS,
                   sandbox={"warm_pool_size": 0, "cache_dir": str(cache)})
    fallback = _start(editor_loop, tmp_path_factory.mktemp("fallback"), sandbox={"enabled": False},
                      trace={**TRACE_LIMITS, "use_bubblewrap": False, "python": SYSTEM_PYTHON})
    yield {"sandbox": boxed, "trace": boxed, "trace-landlock": fallback}
    boxed.stop()
    fallback.stop()


@pytest.fixture(params=BACKENDS)
async def backend(request: Any, bridges: Dict[str, BridgeHost]) -> AsyncIterator[Backend]:
    """Each backend in turn; one that cannot contain runs here is missing (a failure under CI)."""
    bridge = bridges[request.param]
    async with aiohttp.ClientSession(base_url=bridge.url) as http:
        chosen = Backend(request.param, bridge, http)
        async with http.get("/api/v1/health") as response:
            box = (await response.json())["containment"][chosen.health_key]
        if not box["available"]:
            missing(f"{request.param} cannot contain runs here: {box['reason']}")
        if request.param == "trace-landlock":
            assert box["box"] == "landlock", box
        yield chosen
