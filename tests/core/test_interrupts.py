"""Timeouts and cancellation of running and pending jobs."""
from __future__ import annotations

import asyncio

import aiohttp

from .helpers import execute, job, wait_for_status


async def test_timeout_interrupts_a_busy_loop(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "n = 0\nwhile True:\n    n += 1\n", timeout=0.3)
    assert reply["_status"] == 200
    assert reply["status"] == "failed" and reply["success"] is False
    assert reply["error_type"] == "TimeoutError" and reply["timed_out"] is True
    assert "0.3 s timeout" in reply["error"]
    assert f"<job:{reply['job_id']}>\", line" in reply["traceback"]  # where it was when stopped
    assert (await execute(http, "'alive'"))["result"] == "'alive'"


async def test_timeout_holds_against_a_bare_except(http: aiohttp.ClientSession) -> None:
    code = "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n"
    reply = await execute(http, code, timeout=0.3)
    assert reply["status"] == "failed" and reply["error_type"] == "TimeoutError"


async def test_job_stuck_in_a_native_call_is_reported_running_not_failed(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host = start_bridge(interrupt_grace_seconds=0.2)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        reply = await execute(http, "import time\ntime.sleep(1.5)\nprint('after')", timeout=0.2)
        assert reply["_status"] == 202
        assert reply["status"] == "running" and reply["timed_out"] is True and reply["success"] is False
        detail = await wait_for_status(http, reply["job_id"], "completed", "failed")
    # The pending interrupt lands at the first bytecode after the sleep returns.
    assert detail["status"] == "failed" and detail["error_type"] == "TimeoutError"
    assert detail["output"] == ""


async def test_cancel_a_running_job(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "print('started', flush=True)\nwhile True:\n    pass", **{"async": True})
    # "running" comes before its code does (it compiles first); a cancel then stops it before its print.
    for _ in range(400):
        if (await job(http, reply["job_id"]))["output"]:
            break
        await asyncio.sleep(0.05)
    async with http.delete("/api/v1/python/job", params={"id": reply["job_id"]}) as response:
        body = await response.json()
    assert response.status == 200
    assert body == {
        "success": True, "message": f"Job '{reply['job_id']}' has been cancelled",
        "job_id": reply["job_id"], "status": "cancelled",
    }
    detail = await job(http, reply["job_id"])
    assert detail["status"] == "cancelled" and "ended_at" in detail
    assert detail["output"] == "started\n"


async def test_cancel_a_pending_job_so_it_never_runs(http: aiohttp.ClientSession) -> None:
    blocker = await execute(http, "import time\ntime.sleep(0.5)", **{"async": True})
    victim = await execute(http, "import unreal\nunreal.log('should never run')", **{"async": True})
    async with http.delete("/api/v1/python/job", params={"id": victim["job_id"]}) as response:
        assert response.status == 200
    await wait_for_status(http, blocker["job_id"], "completed")
    detail = await job(http, victim["job_id"])
    assert detail["status"] == "cancelled" and detail["output"] == "" and detail["started_at"] is None


async def test_cancel_a_finished_job_is_refused(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "1")
    async with http.delete("/api/v1/python/job", params={"id": reply["job_id"]}) as response:
        body = await response.json()
    assert response.status == 400
    assert body["error_code"] == "JOB_ALREADY_FINISHED"
    assert body["error"] == f"Job '{reply['job_id']}' is already completed and cannot be cancelled"


async def test_cancel_a_native_call_answers_202_then_stops(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host = start_bridge(interrupt_grace_seconds=0.1)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        reply = await execute(http, "import time\ntime.sleep(0.8)\nprint('never')", **{"async": True})
        await wait_for_status(http, reply["job_id"], "running")
        async with http.delete("/api/v1/python/job", params={"id": reply["job_id"]}) as response:
            body = await response.json()
        assert response.status == 202 and body["status"] == "running"
        detail = await wait_for_status(http, reply["job_id"], "cancelled", "completed", "failed")
    assert detail["status"] == "cancelled" and detail["output"] == ""


async def test_interrupt_never_leaks_into_the_next_job(http: aiohttp.ClientSession) -> None:
    # Many short timeouts back to back: a late interrupt must never hit the job after.
    for _ in range(5):
        slow = execute(http, "while True: pass", timeout=0.05)
        fast = execute(http, "x = sum(range(1000))\nx")
        slow_reply, fast_reply = await asyncio.gather(slow, fast)
        assert slow_reply["error_type"] == "TimeoutError"
        assert fast_reply["status"] == "completed" and fast_reply["result"] == "499500"
