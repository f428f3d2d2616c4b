"""What keeping every run costs: the SQLite history beside the in-memory one, in the same run.

Targets: sync execute p50 with SQLite at most 1.15x the memory store's, 32-client throughput at
least 0.85x; a page of GET /api/executions at 100,000 stored runs under 20 ms (p50); and the time
for 1,000 printed lines to reach 50 WebSocket clients, beside one client.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Iterable, List

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import measure, print_table, start_process, stop_process
from bridge.runs import RunHistory, RunKind, RunStatus
from bridge.runs.open import DATABASE_NAME
from bridge.runs.sqlite import SqliteStore

BODY = {"code": "x = 1"}


def serve(data_dir: Path, store: str, tick_rate: int = 1000) -> tuple[object, str]:
    return start_process(
        [sys.executable, "-m", "bridge", "serve", "--port", "0", "--tick-rate", str(tick_rate),
         "--data-dir", str(data_dir)],
        env={"UE_BRIDGE_HISTORY__STORE": store},
    )


async def execute_cost(requests: int, rounds: int) -> List[List[object]]:
    latency: Dict[str, List[float]] = {"memory": [], "sqlite": []}
    throughput: Dict[str, List[float]] = {"memory": [], "sqlite": []}
    for _ in range(rounds):
        for store in ("memory", "sqlite"):  # alternating, so a noisy moment hits both alike
            with tempfile.TemporaryDirectory() as data:
                proc, url = serve(Path(data), store)
                try:
                    target = url + "/api/v1/python/execute"
                    latency[store].append((await measure(target, BODY, 1, requests))["p50_ms"])
                    throughput[store].append((await measure(target, BODY, 32, requests * 2))["rps"])
                finally:
                    stop_process(proc)  # type: ignore[arg-type]
    p50_ratio = median(s / m for s, m in zip(latency["sqlite"], latency["memory"]))
    rps_ratio = median(s / m for s, m in zip(throughput["sqlite"], throughput["memory"]))
    print_table(
        f"Sync execute x = 1 (1000 Hz): SQLite history vs memory, medians of {rounds} alternating rounds",
        ["store", "p50 ms (1 client)", "req/s (32 clients)", "p50 / memory", "req/s / memory"],
        [["memory (baseline)", median(latency["memory"]), median(throughput["memory"]), 1.0, 1.0],
         ["sqlite", median(latency["sqlite"]), median(throughput["sqlite"]), p50_ratio, rps_ratio]],
    )
    return [
        ["execute p50, sqlite / memory", "<= 1.15x", f"{p50_ratio:.2f}x", p50_ratio <= 1.15],
        ["execute req/s, sqlite / memory", ">= 0.85x", f"{rps_ratio:.2f}x", rps_ratio >= 0.85],
    ]


def fill(data_dir: Path, runs: int) -> float:
    """`runs` finished editor runs written straight into a history file; returns seconds taken."""
    began = time.perf_counter()
    store = SqliteStore(data_dir / DATABASE_NAME)
    history = RunHistory(store)
    for n in range(runs):
        run = history.create(RunKind.EDITOR, command=f"print({n})", tags=["bench"] if n % 10 == 0 else [],
                             started=True)
        history.output(run.id, f"{n}\n")
        history.finish(run.id, RunStatus.COMPLETED if n % 7 else RunStatus.FAILED)
    store.flush().result()
    store.close()
    return time.perf_counter() - began


async def page_p50(url: str, path: str, requests: int) -> float:
    times: List[float] = []
    async with aiohttp.ClientSession() as http:
        for n in range(requests + 10):
            began = time.perf_counter()
            async with http.get(url + path) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path} answered {response.status}")
            if n >= 10:  # warm-up
                times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


async def list_cost(runs: int, requests: int) -> List[List[object]]:
    with tempfile.TemporaryDirectory() as data:
        filled = fill(Path(data), runs)
        proc, url = serve(Path(data), "sqlite", tick_rate=60)
        try:
            floor = await page_p50(url, "/api/v1/health", requests)
            first = await page_p50(url, "/api/executions?limit=100", requests)
            deep = await page_p50(url, f"/api/executions?limit=100&offset={runs // 2}", requests)
            failed = await page_p50(url, "/api/executions?limit=100&status=failed", requests)
            tagged = await page_p50(url, "/api/executions?limit=100&tag=bench", requests)
        finally:
            stop_process(proc)  # type: ignore[arg-type]
    rows = [["GET /api/v1/health (floor)", floor, 1.0], ["first page", first, first / floor],
            [f"page at offset {runs // 2:,}", deep, deep / floor], ["status=failed", failed, failed / floor],
            ["tag=bench", tagged, tagged / floor]]
    print_table(f"A page of 100 executions at {runs:,} stored runs (filled in {filled:.1f} s), p50 of {requests}",
                ["request", "p50 ms", "/ floor"], rows)
    worst = max(first, deep, failed, tagged)
    return [[f"list page p50 at {runs:,} runs", "< 20 ms", f"{worst:.1f} ms", worst < 20]]


async def fanout(clients: int, lines: int) -> float:
    """Seconds from submitting a job that prints `lines` lines until every client has every line."""
    with tempfile.TemporaryDirectory() as data:
        proc, url = serve(Path(data), "sqlite")
        try:
            async with aiohttp.ClientSession() as http:
                sockets = [await http.ws_connect(url + "/api/ws") for _ in range(clients)]
                for ws in sockets:
                    await ws.receive_json()  # connection_established

                async def drain(ws: aiohttp.ClientWebSocketResponse) -> None:
                    seen = 0
                    while seen < lines:
                        message = await ws.receive_json()
                        if message["type"] == "log_entry":
                            seen += 1

                began = time.perf_counter()
                code = f"for n in range({lines}):\n    print('line', n)"
                job = asyncio.ensure_future(http.post(url + "/api/v1/python/execute", json={"code": code}))
                await asyncio.gather(*(drain(ws) for ws in sockets))
                elapsed = time.perf_counter() - began
                (await job).release()
                for ws in sockets:
                    await ws.close()
        finally:
            stop_process(proc)  # type: ignore[arg-type]
    return elapsed


async def fanout_cost(lines: int, rounds: int) -> List[List[object]]:
    one = [await fanout(1, lines) for _ in range(rounds)]
    many = [await fanout(50, lines) for _ in range(rounds)]
    ratio = median(m / o for m, o in zip(many, one))
    print_table(f"{lines:,} printed lines to WebSocket clients, medians of {rounds} rounds",
                ["clients", "seconds until all have every line", "/ one client"],
                [["1 (baseline)", median(one), 1.0], ["50", median(many), ratio]],
                note="each client receives every line as its own log_entry message")
    return [[f"fan-out of {lines:,} lines to 50 clients", "reported", f"{median(many) * 1000:.0f} ms", True]]


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


async def run(args: argparse.Namespace) -> int:
    verdicts = await execute_cost(args.requests, args.rounds)
    verdicts += await list_cost(args.runs, args.page_requests)
    verdicts += await fanout_cost(args.lines, 3)
    print()
    for what, target, got, met in verdicts:
        print(f"target: {what} {target} -> {got}  {'met' if met else 'MISSED'}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000, help="requests per execute measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    parser.add_argument("--runs", type=int, default=100_000, help="stored runs for the list measurement")
    parser.add_argument("--page-requests", type=int, default=200, help="requests per list measurement")
    parser.add_argument("--lines", type=int, default=1000, help="printed lines for the fan-out")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
