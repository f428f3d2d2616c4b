"""The seed 004 API over real HTTP on loopback: shapes, errors, 408 with partial output, 503, health."""

from __future__ import annotations

import asyncio
from typing import Any, Dict

import pytest
from aiohttp.test_utils import TestClient

from bridge.host.sandbox_serve import build_app
from bridge.sandbox import SandboxSettings
from bridge.sandbox.runtimes import Language
from tests.needs import IN_CI, missing

from .conftest import make_settings

SEED_FIELDS = {
    "request_id",
    "stdout",
    "stderr",
    "exit_code",
    "execution_time_ms",
    "language",
    "language_version",
}


@pytest.fixture
def settings(cache_dir: str) -> SandboxSettings:
    return make_settings(cache_dir)


@pytest.fixture
async def client(aiohttp_client: Any, settings: SandboxSettings) -> TestClient:
    c = await aiohttp_client(build_app(settings))
    health = await c.get("/api/health")
    if health.status != 200:
        missing(f"the sandbox is unhealthy here: {(await health.json()).get('reason')}")
    return c


async def execute(client: TestClient, **body: Any) -> Any:
    return await client.post("/api/execute", json=body)


async def test_execute_returns_the_seed_shape(client: TestClient) -> None:
    resp = await execute(
        client,
        code="print('Hello, World!')",
        language="python",
        language_version="3.11",
        timeout_ms=5000,
        memory_mb=128,
        cpu_count=1,
    )
    assert resp.status == 200
    data = await resp.json()
    assert set(data) >= SEED_FIELDS
    assert (data["stdout"], data["stderr"], data["exit_code"]) == ("Hello, World!\n", "", 0)
    assert (data["language"], data["language_version"], data["status"]) == ("python", "3.11", "ok")
    assert data["stdout_truncated"] is False and isinstance(data["memory_kb"], int)


async def test_omitted_version_uses_the_default_and_aliases_work(client: TestClient) -> None:
    data = await (await execute(client, code="console.log(6*7)", language="js")).json()
    assert data["stdout"] == "42\n" and data["language"] == "javascript"


@pytest.mark.parametrize(
    "body,status,detail",
    [
        ({"code": "x", "language": "cobol"}, 400, "Unsupported language or version: cobol"),
        (
            {"code": "x", "language": "python", "language_version": "2.1"},
            400,
            "Unsupported language or version: python 2.1",
        ),
        (
            {"code": "x", "language": "python", "memory_mb": 4096},
            400,
            "Resource limits exceed maximum allowed values",
        ),
        (
            {"code": "x", "language": "ruby", "cpu_count": 3},
            400,
            "Resource limits exceed maximum allowed values",
        ),
        (
            {"code": "x", "language": "javascript", "timeout_ms": 30001},
            400,
            "Resource limits exceed maximum allowed values",
        ),
        ({"language": "python"}, 400, "Missing required field: code"),
        (
            {"code": "x", "language": "python", "timeout_ms": -5},
            400,
            "timeout_ms: Input should be greater than or equal",
        ),
        ({"code": "x", "language": "python", "bogus": 1}, 400, "bogus: unknown field"),
    ],
)
async def test_bad_requests_get_400_with_a_precise_detail(
    client: TestClient, body: Dict[str, Any], status: int, detail: str
) -> None:
    resp = await client.post("/api/execute", json=body)
    assert resp.status == status
    data = await resp.json()
    assert set(data) == {"success", "error_code", "error", "detail"}, data
    assert data["success"] is False and data["error_code"] in ("INVALID_REQUEST", "MISSING_FIELD"), data
    assert data["detail"].startswith(detail) and data["error"] == data["detail"], data


async def test_timeout_is_408_with_partial_output(client: TestClient) -> None:
    resp = await execute(
        client,
        code="import time\nprint('partial', flush=True)\ntime.sleep(60)",
        language="python",
        timeout_ms=800,
    )
    assert resp.status == 408
    data = await resp.json()
    assert data["detail"] == data["error"] == "Execution timed out after multiple attempts"
    assert (data["success"], data["error_code"]) == (False, "EXECUTION_TIMEOUT")
    assert (data["stdout"], data["status"], data["exit_code"]) == ("partial\n", "timeout", None)


async def test_saturated_sandbox_answers_503_with_retry_after(aiohttp_client: Any, cache_dir: str) -> None:
    c = await aiohttp_client(build_app(make_settings(cache_dir, max_concurrency=1, queue_size=0)))
    slow = asyncio.ensure_future(execute(c, code="import time\ntime.sleep(2)\nprint('slow done')", language="python"))
    await asyncio.sleep(0.5)
    resp = await execute(c, code="print(1)", language="python")
    assert resp.status == 503 and resp.headers["Retry-After"] == "1"
    assert "busy" in (await resp.json())["detail"]
    assert (await (await slow).json())["stdout"] == "slow done\n"


async def test_runtimes_lists_every_language_with_limits(client: TestClient) -> None:
    data = await (await client.get("/api/runtimes")).json()
    by_name = {r["language"]: r for r in data["runtimes"]}
    assert set(by_name) == {"python", "javascript", "ruby", "go", "rust", "java", "c", "cpp"}
    py = by_name["python"]
    assert py["max_limits"] == {"timeout_ms": 60000, "memory_mb": 2048, "cpu_count": 4}
    assert py["default_limits"] == {"timeout_ms": 5000, "memory_mb": 128, "cpu_count": 1}
    assert "py" in py["aliases"] and py["default_version"] in py["versions"]
    for runtime in by_name.values():
        assert runtime["available"] == bool(runtime["versions"])
        if not runtime["available"]:
            assert runtime["reason"], runtime
            if IN_CI:
                pytest.fail(f"CI=true and {runtime['language']} is missing: {runtime['reason']}")


async def test_health_reports_isolation_and_runtimes(client: TestClient) -> None:
    resp = await client.get("/api/health")
    data = await resp.json()
    assert resp.status == 200 and data["status"] == "healthy" and data["isolation_available"] is True
    assert data["seccomp_filter"] is True
    assert data["cgroup_mode"] in ("v1", "v2") and "python" in data["runtimes_found"]
    assert data["runs_in_flight"] == 0 and data["version"]


async def test_health_is_503_and_runs_refused_when_isolation_is_missing(aiohttp_client: Any, cache_dir: str) -> None:
    c = await aiohttp_client(build_app(make_settings(cache_dir, bwrap_path="/nonexistent/bwrap")))
    resp = await c.get("/api/health")
    data = await resp.json()
    assert resp.status == 503 and data["status"] == "unhealthy" and "bubblewrap" in data["reason"]
    run = await execute(c, code="print(1)", language="python")
    assert run.status == 503 and "bubblewrap" in (await run.json())["detail"]
    runtimes = await (await c.get("/api/runtimes")).json()
    assert all(not r["available"] and r["reason"] for r in runtimes["runtimes"])


async def test_token_is_required_when_configured(aiohttp_client: Any, cache_dir: str) -> None:
    c = await aiohttp_client(build_app(make_settings(cache_dir, sandbox_token="s3cret")))
    assert (await c.get("/api/health")).status in (200, 503)  # probes need no token
    denied = await execute(c, code="print(1)", language="python")
    assert denied.status == 401 and "Bearer" in (await denied.json())["detail"]
    ok = await c.post(
        "/api/execute",
        json={"code": "print(1)", "language": "python"},
        headers={"Authorization": "Bearer s3cret"},
    )
    assert ok.status == 200


def test_languages_fixture_sees_python(languages: Dict[str, Language]) -> None:
    if not languages["python"].toolchains:
        missing("no python found")
    assert languages["python"].default_version
