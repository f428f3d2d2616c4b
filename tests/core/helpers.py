"""Small helpers for talking to the bridge in tests."""
from __future__ import annotations

import asyncio
from typing import Any, Dict

import aiohttp


async def execute(http: aiohttp.ClientSession, code: str, **fields: Any) -> Dict[str, Any]:
    async with http.post("/api/v1/python/execute", json={"code": code, **fields}) as response:
        body = await response.json()
        body["_status"] = response.status
        return body


async def job(http: aiohttp.ClientSession, job_id: str) -> Dict[str, Any]:
    async with http.get("/api/v1/python/job", params={"id": job_id}) as response:
        assert response.status == 200, await response.text()
        return (await response.json())["job"]  # type: ignore[no-any-return]


async def wait_for_status(http: aiohttp.ClientSession, job_id: str, *statuses: str, tries: int = 400) -> Dict[str, Any]:
    """Poll a job until it reaches one of `statuses` (bounded: about 20 s)."""
    for _ in range(tries):
        detail = await job(http, job_id)
        if detail["status"] in statuses:
            return detail
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} never reached {statuses}; last: {detail['status']}")
