"""The sandbox through the whole headless bridge (create_app, middlewares, OpenAPI) over real HTTP."""

from __future__ import annotations

from typing import Any

import aiohttp

from .conftest import missing


async def test_bridge_serves_the_sandbox_api(start_bridge: Any, cache_dir: str) -> None:
    bridge = start_bridge(sandbox={"cache_dir": cache_dir, "warm_pool_size": 1})
    async with aiohttp.ClientSession(base_url=bridge.url) as http:
        health = await http.get("/api/health")
        if health.status != 200:
            missing(f"sandbox unhealthy: {(await health.json()).get('reason')}")
        resp = await http.post(
            "/api/execute", json={"code": "print(input()[::-1])", "language": "python", "stdin": "olleh"}
        )
        assert resp.status == 200 and (await resp.json())["stdout"] == "hello\n"
        bad = await http.post("/api/execute", json={"code": "1", "language": "brainfuck"})
        message = "Unsupported language or version: brainfuck"
        assert bad.status == 400 and await bad.json() == {
            "success": False, "error_code": "INVALID_REQUEST", "error": message, "detail": message
        }
        spec = await (await http.get("/api/openapi.json")).json()
        assert {"/api/execute", "/api/runtimes", "/api/health"} <= set(spec["paths"])
        assert "408" in spec["paths"]["/api/execute"]["post"]["responses"]
        runtimes = await (await http.get("/api/runtimes")).json()
        assert len(runtimes["runtimes"]) == 8
