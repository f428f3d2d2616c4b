"""The game thread keeps framing: work is spread over frames within the per-tick budget."""
from __future__ import annotations

import asyncio
from typing import List

import aiohttp

from bridge.host import BridgeHost
from mock_unreal.editor import EditorLoop

from .helpers import execute, wait_for_status


async def test_slow_jobs_are_spread_over_frames(start_bridge, editor_loop: EditorLoop) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(tick_budget_ms=8, tick_linger_ms=0)
    per_frame: List[int] = []
    observe = host.tickqueue._observe_drain
    host.tickqueue._observe_drain = lambda seconds, ran: (per_frame.append(ran), observe and observe(seconds, ran))
    frames_before = editor_loop.frame_count
    async with aiohttp.ClientSession(base_url=host.url) as http:
        replies = await asyncio.gather(
            *(execute(http, "import time\ntime.sleep(0.005)", **{"async": True}) for _ in range(30))
        )
        for reply in replies:
            await wait_for_status(http, reply["job_id"], "completed")
    # 5 ms jobs under an 8 ms budget: at most three share a frame, however slow the machine.
    assert sum(per_frame) == 30
    assert max(per_frame) <= 3
    assert editor_loop.frame_count - frames_before >= 10


async def test_many_trivial_jobs_share_frames(start_bridge, tmp_path) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(job_max_kept=1000)  # all 301 jobs stay listed until polled
    per_frame: List[int] = []
    host.tickqueue._observe_drain = lambda seconds, ran: per_frame.append(ran)
    release = tmp_path / "release"
    async with aiohttp.ClientSession(base_url=host.url) as http:
        # Hold the game thread until all 300 jobs are queued behind it.
        blocker = await execute(
            http, f"import os, time\nwhile not os.path.exists({str(release)!r}):\n    time.sleep(0.01)",
            **{"async": True},
        )
        await wait_for_status(http, blocker["job_id"], "running")
        replies = await asyncio.gather(*(execute(http, "x = 1", **{"async": True}) for _ in range(300)))
        per_frame.clear()
        release.touch()
        for reply in replies:
            await wait_for_status(http, reply["job_id"], "completed")
    assert sum(per_frame) >= 300
    assert len(per_frame) <= 30  # many jobs per frame, not one each


async def test_a_long_job_blocks_only_its_own_frames(http: aiohttp.ClientSession, editor_loop: EditorLoop) -> None:
    long_job = await execute(http, "import time\ntime.sleep(0.3)", **{"async": True})
    await wait_for_status(http, long_job["job_id"], "completed")
    frames = editor_loop.frame_count
    await asyncio.sleep(0.2)
    assert editor_loop.frame_count > frames  # ticking resumed right after it
