"""Health, readiness, metrics, the OpenAPI document and the docs page."""
from __future__ import annotations

import os
import shutil
import subprocess

import aiohttp
import pytest

from bridge.host import BridgeHost
from tests.conftest import BridgeFactory
from tests.needs import missing

from .helpers import execute


async def test_health(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/v1/health") as response:
        body = await response.json()
    assert response.status == 200
    assert body["status"] == "ok" and body["version"] and body["uptime_seconds"] >= 0
    editor = body["editor"]
    assert editor["mock"] is True and editor["ticking"] is True
    assert 0 <= editor["last_tick_age_ms"] < 2000


async def test_health_names_the_containment_of_each_backend(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/v1/health") as response:
        boxes = (await response.json())["containment"]
    assert set(boxes) == {"trace", "sandbox"}
    for name, box in boxes.items():
        if not box["available"]:
            missing(f"the {name} cannot contain runs here: {box['reason']}")
        assert box == {"available": True, "box": "bubblewrap", "uid": 65534, "seccomp_filter": True,
                       "cgroup_mode": box["cgroup_mode"], "network": "none", "proc_sys": "read-only",
                       "no_new_privileges": True, "capabilities": "none", "reason": None}, (name, box)
        assert box["cgroup_mode"] in ("v1", "v2")
    async with http.get("/api/health") as response:
        assert (await response.json())["containment"] == boxes["sandbox"]


async def test_a_tracer_that_cannot_box_its_runs_refuses_them(start_bridge: BridgeFactory) -> None:
    bridge = start_bridge(trace={"bwrap_path": "/nonexistent/bwrap", "cgroup_mode": "v2"})
    async with aiohttp.ClientSession(base_url=bridge.url) as http:
        async with http.get("/api/v1/health") as response:
            box = (await response.json())["containment"]["trace"]
        async with http.post("/api/v1/execute", json={"code": "print('must not run')"}) as response:
            reply = await response.json()
    if box["available"]:
        pytest.skip("this host has a delegated cgroup v2 hierarchy: the tracer can box runs with it")
    assert box["box"] == "none" and "cgroup" in box["reason"]
    assert response.status == 503 and reply["error_code"] == "TRACE_UNAVAILABLE"
    assert "cannot be contained" in reply["error"] and "cgroup" in reply["error"]


async def test_ready_while_ticking(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/v1/ready") as response:
        assert response.status == 200
        assert await response.json() == {"ready": True, "reason": None}


async def test_ready_says_busy_during_a_long_job(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "import time\nfor _ in range(40): time.sleep(0.01)", **{"async": True})
    for _ in range(100):
        async with http.get("/api/v1/ready") as response:
            body = await response.json()
        if response.status == 503:
            break
    assert body["ready"] is False and reply["job_id"] in body["reason"]


async def test_metrics(http: aiohttp.ClientSession) -> None:
    await execute(http, "1")
    await execute(http, "1/0")
    async with http.get("/api/v1/metrics") as response:
        text = await response.text()
    assert response.status == 200 and response.content_type == "text/plain"
    assert 'bridge_jobs_finished_total{kind="python",status="completed"} 1.0' in text
    assert 'bridge_jobs_finished_total{kind="python",status="failed"} 1.0' in text
    assert 'bridge_jobs{status="completed"} 1.0' in text
    assert "bridge_tick_queue_depth 0.0" in text
    assert "bridge_job_duration_seconds_bucket" in text
    assert "bridge_tick_drain_seconds_count" in text
    assert 'bridge_http_requests_total{method="POST",route="/api/v1/python/execute",status="200"} 2.0' in text


async def test_openapi_is_generated_from_the_models(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/openapi.json") as response:
        doc = await response.json()
    assert doc["openapi"].startswith("3.1")
    execute_op = doc["paths"]["/api/v1/python/execute"]["post"]
    body_ref = execute_op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][body_ref.rsplit("/", 1)[1]]
    assert set(schema["properties"]) >= {"code", "file", "module", "args", "timeout", "async", "mode", "session_id",
                                         "name"}
    assert "required" not in schema  # exactly one of code, file and module: checked by the server
    assert {"200", "202"} <= set(execute_op["responses"])
    for path in ("/api/v1/python/jobs", "/api/v1/python/job", "/api/v1/python/info", "/api/v1/health",
                 "/api/v1/ready", "/api/v1/metrics"):
        assert path in doc["paths"]
    assert "delete" in doc["paths"]["/api/v1/python/job"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required under CI (apt-get install -y chromium)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return path


def test_docs_page_renders_in_a_real_browser(bridge: BridgeHost, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path}", "--virtual-time-budget=10000", "--dump-dom", f"{bridge.url}/api/docs"],
        capture_output=True, text=True, timeout=90,
    )
    dom = result.stdout
    assert 'data-loaded="true"' in dom, result.stderr[-2000:]
    assert "/api/v1/python/execute" in dom and "Unreal Python Bridge 0.1.0" in dom
    assert 'id="post_api_v1_python_execute"' in dom
