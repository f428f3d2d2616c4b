"""Sandbox runs enter the run history: through the real headless bridge over HTTP."""

from __future__ import annotations

from typing import Any, AsyncIterator, Dict, Tuple

import aiohttp
import pytest

from bridge.host import BridgeHost
from bridge.runs import RunKind, RunQuery, RunRecord, RunStatus, StopReason

from .conftest import missing


@pytest.fixture
async def served(start_bridge: Any, cache_dir: str) -> AsyncIterator[Tuple[BridgeHost, aiohttp.ClientSession]]:
    host = start_bridge(sandbox={"cache_dir": cache_dir, "warm_pool_size": 0}, token="a-token-for-the-history-test")
    headers = {"Authorization": "Bearer a-token-for-the-history-test"}
    async with aiohttp.ClientSession(base_url=host.url, headers=headers) as http:
        health = await http.get("/api/health")
        if health.status != 200:
            missing(f"sandbox unhealthy: {(await health.json()).get('reason')}")
        yield host, http


async def execute(http: aiohttp.ClientSession, **body: Any) -> Tuple[int, Dict[str, Any]]:
    async with http.post("/api/execute", json={"language": "python", **body}) as response:
        return response.status, await response.json()


def sandbox_runs(host: BridgeHost) -> list:
    host.history.flush().result(10)
    return list(host.history.list(RunQuery(kind=RunKind.SANDBOX)).items)


def only_run(host: BridgeHost) -> RunRecord:
    runs = sandbox_runs(host)
    assert len(runs) == 1, runs
    record = host.history.get(runs[0].id)
    assert record is not None
    return record


async def test_a_sandbox_run_is_recorded_with_output_exit_code_and_who_asked(
        served: Tuple[BridgeHost, aiohttp.ClientSession]) -> None:
    host, http = served
    code = "import sys\nprint('out')\nprint('err', file=sys.stderr)"
    status, reply = await execute(http, code=code)
    assert status == 200 and (reply["stdout"], reply["stderr"]) == ("out\n", "err\n")
    record = only_run(host)
    run = record.run
    assert (run.status, run.exit_code, run.user, run.command) == (RunStatus.COMPLETED, 0, "token", code)
    assert sorted(record.output.splitlines()) == ["err", "out"]
    assert {k: run.metadata[k] for k in ("language", "request_id", "sandbox_status")} == {
        "language": "python", "request_id": reply["request_id"], "sandbox_status": "ok"}
    assert run.timeout == 5.0


async def test_a_failing_program_is_failed_with_its_exit_code(
        served: Tuple[BridgeHost, aiohttp.ClientSession]) -> None:
    host, http = served
    status, reply = await execute(http, code="raise SystemExit(4)")
    assert status == 200 and reply["exit_code"] == 4
    run = only_run(host).run
    assert (run.status, run.exit_code, run.error_message) == (RunStatus.FAILED, 4, "exited with code 4")


async def test_a_timeout_is_recorded_with_its_stop_reason_and_partial_output(
        served: Tuple[BridgeHost, aiohttp.ClientSession]) -> None:
    host, http = served
    status, reply = await execute(http, code="print('started', flush=True)\nimport time\ntime.sleep(60)",
                                  timeout_ms=500)
    assert status == 408 and reply["error_code"] == "EXECUTION_TIMEOUT"
    record = only_run(host)
    assert (record.run.status, record.run.stop_reason) == (RunStatus.FAILED, StopReason.TIMEOUT)
    assert record.output == reply["stdout"] == "started\n"


async def test_a_memory_bomb_is_recorded_with_the_memory_stop_reason(
        served: Tuple[BridgeHost, aiohttp.ClientSession]) -> None:
    host, http = served
    status, reply = await execute(http, code="x = bytearray(512 * 1024 * 1024)", memory_mb=32)
    assert status == 200 and reply["status"] == "memory_limit", reply
    run = only_run(host).run
    assert (run.status, run.stop_reason) == (RunStatus.FAILED, StopReason.MEMORY)


async def test_a_refused_request_is_not_a_run(served: Tuple[BridgeHost, aiohttp.ClientSession]) -> None:
    host, http = served
    status, _ = await execute(http, code="1", language="brainfuck")
    assert status == 400
    assert sandbox_runs(host) == []
