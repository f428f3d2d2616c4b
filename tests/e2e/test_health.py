"""/api/health and /api/health/*: seed 003's fields, and seed 004's kept in the merged /api/health."""
from __future__ import annotations

import aiohttp

from bridge.host import BridgeHost
from bridge.runs import RunKind, RunStatus

from .conftest import ENVELOPE_KEYS, get, reply

SEED_004_HEALTH = {"status", "version", "isolation_available", "seccomp_filter", "cgroup_mode", "runtimes_found",
                   "runs_in_flight", "runs_queued", "reason", "containment", "remote"}
METRICS_KEYS = {"timestamp", "database", "system", "uptime_seconds"}


async def test_health_carries_both_seeds(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/health") as response:
        body = await response.json()
    assert response.status == (200 if body["status"] == "healthy" else 503)  # seed 004's rule, unchanged
    assert set(body) == SEED_004_HEALTH | ENVELOPE_KEYS and body["success"] is True and body["error"] is None
    assert set(body["data"]) == {"status", "timestamp", "version", "uptime_seconds", "database", "websocket",
                                 "storage"}
    assert body["data"] | {"timestamp": None, "uptime_seconds": None} == {
        "status": "healthy", "timestamp": None, "version": body["version"], "uptime_seconds": None,
        "database": "connected", "websocket": "running", "storage": "accessible"}


async def test_health_needs_no_token(start_bridge: object) -> None:
    bridge: BridgeHost = start_bridge(token="s3cret")  # type: ignore[operator]
    async with aiohttp.ClientSession(base_url=bridge.url) as http:
        async with http.get("/api/health") as response:
            assert response.status in (200, 503) and (await response.json())["data"]["database"] == "connected"
        async with http.get("/api/health/status") as response:
            assert (await reply(response, 401))["error_code"] == "UNAUTHORIZED"


async def test_status(http: aiohttp.ClientSession) -> None:
    data = (await get(http, "/api/health/status"))["data"]
    assert set(data) == {"system", "database", "websocket"}
    assert set(data["system"]) == {"cpu_percent", "memory_percent", "disk_usage_percent", "load_average"}
    assert len(data["system"]["load_average"]) == 3 and 0 <= data["system"]["memory_percent"] <= 100
    assert set(data["database"]) == {"status", "size_mb", "wal_mode", "cache_hit_ratio"}
    assert data["database"]["status"] == "connected" and data["database"]["wal_mode"] is True
    assert data["websocket"] == {"status": "running", "connected_clients": 0, "total_messages": 0}
    async with http.ws_connect("/api/ws") as ws:
        await ws.receive_json()
        websocket = (await get(http, "/api/health/status"))["data"]["websocket"]
    assert websocket["connected_clients"] == 1 and websocket["total_messages"] >= 1


async def test_metrics(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    run = bridge.history.create(RunKind.EDITOR, command="1")
    bridge.history.begin_step(run.id, "s")
    bridge.history.finish(run.id, RunStatus.COMPLETED)
    await http.get("/api/health")
    data = (await get(http, "/api/health/metrics"))["data"]
    assert set(data) == METRICS_KEYS
    database = data["database"]
    assert set(database) == {"database_size_bytes", "database_size_mb", "table_counts", "wal_mode", "cache_size",
                             "storage_path", "backend"}
    assert database["table_counts"] == {"executions": 1, "steps": 1, "artifacts": 0}
    assert database["wal_mode"] == "wal" and database["backend"] == "sqlite" and database["database_size_bytes"] > 0
    assert database["storage_path"] == str(bridge.artifact_files.root.parent)
    assert set(data["system"]) == {"cpu_percent", "memory_percent", "disk_usage_percent", "open_connections"}


async def test_database(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    for status in (RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.FAILED):
        bridge.history.finish(bridge.history.create(RunKind.SCRIPT, command="s").id, status)
    bridge.history.create(RunKind.COMMAND, command="c", started=True)
    data = (await get(http, "/api/health/database"))["data"]
    assert set(data) == {"total_executions", "running_executions", "completed_executions", "failed_executions",
                         "pending_executions", "cancelled_executions", "total_steps", "total_artifacts",
                         "database_size_mb", "oldest_execution", "newest_execution"}
    assert (data["total_executions"], data["running_executions"], data["completed_executions"],
            data["failed_executions"]) == (4, 1, 2, 1)
    assert data["oldest_execution"] <= data["newest_execution"] and data["newest_execution"].endswith("Z")


async def test_optimize(http: aiohttp.ClientSession) -> None:
    async with http.post("/api/health/optimize") as response:  # no body needed
        data = (await reply(response, 200))["data"]
    assert set(data) == {"status", "timestamp", "operations_performed", "metrics"}
    assert data["status"] == "optimization_completed" and data["operations_performed"]
    assert set(data["metrics"]) == METRICS_KEYS
