"""A long run: MCP progress from its steps and output, `running` past the call's wait, and a client cancel."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Tuple

import anyio
import pytest

from bridge.host import BridgeHost

from .conftest import eventually, mcp_stdio, structured, text_of

pytestmark = pytest.mark.slow

LONG_RUN = """import time
import bridge
with bridge.step("Warm up"):
    print("warming")
for i in range(400):
    print("tick", i)
    time.sleep(0.05)
"""

Progress = List[Tuple[float, Optional[float], Optional[str]]]


async def test_progress_while_it_runs_then_running_past_the_wait(bridge: BridgeHost, mcp_log: Path) -> None:
    seen: Progress = []

    async def on_progress(progress: float, total: Optional[float], message: Optional[str]) -> None:
        seen.append((progress, total, message))

    async with mcp_stdio(mcp_log, "--url", bridge.url) as session:
        result = await session.call_tool("execute_python", {"code": LONG_RUN, "wait": 3},
                                         progress_callback=on_progress)
        # Past its wait the run is no failure: it goes on, and the call says how to follow it.
        assert result.is_error is False, text_of(result)
        job = structured(result)
        assert job["status"] == "running" and job["finished"] is False
        assert "get_run" in text_of(result) and job["job_id"] in text_of(result)
        run = bridge.history.get(job["job_id"])
        assert run is not None and run.run.status.value == "running"

        messages = [message or "" for _, _, message in seen]
        assert "step 'Warm up' running" in messages and "step 'Warm up' completed" in messages
        assert any(message.startswith("tick") for message in messages)
        counts = [progress for progress, _, _ in seen]
        assert counts == sorted(set(counts)), "progress must grow with every notification"

        await session.call_tool("cancel_run", {"run_id": job["job_id"]})


async def test_a_client_cancel_interrupts_the_run(bridge: BridgeHost, mcp_log: Path) -> None:
    seen: Progress = []
    async with mcp_stdio(mcp_log, "--url", bridge.url) as session:
        with anyio.CancelScope() as scope:

            async def on_progress(progress: float, total: Optional[float], message: Optional[str]) -> None:
                seen.append((progress, total, message))
                if (message or "").startswith("tick"):
                    scope.cancel()  # the agent gives up: the SDK sends notifications/cancelled

            await session.call_tool("execute_python", {"code": LONG_RUN, "wait": 60}, progress_callback=on_progress)
        assert scope.cancelled_caught

        await eventually(lambda: not bridge.history.live(), 20, "the run to stop")
        page = structured(await session.call_tool("list_runs", {"limit": 1, "kind": "editor"}))
        stopped = page["executions"][0]
        assert stopped["status"] == "cancelled" and stopped["stop_reason"] == "cancel"
        output = bridge.history.get(stopped["id"])
        assert output is not None and "tick 399" not in output.output
        # The server is fine afterwards.
        again = await session.call_tool("execute_python", {"code": "1 + 1"})
        assert structured(again)["result"] == "2"
