"""Sync `execute {"code": "x = 1"}` over HTTP against the headless host, beside a bare aiohttp echo.

Targets: at 1000 Hz, p50 latency at most 2x the echo's; at 60 Hz, at least 2,000 trivial jobs/s
from 32 concurrent clients.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import measure, print_table, start_process, stop_process

BODY = {"code": "x = 1"}


async def run(requests: int) -> int:
    echo, echo_url = start_process([sys.executable, str(Path(__file__).with_name("echo_server.py"))])
    results: Dict[str, Dict[str, Dict[str, float]]] = {}
    try:
        results["echo"] = {
            "1": await measure(echo_url + "/echo", BODY, 1, requests),
            "32": await measure(echo_url + "/echo", BODY, 32, requests * 4),
        }
        for rate in (60, 1000):
            proc, url = start_process(
                [sys.executable, "-m", "bridge", "serve", "--port", "0", "--tick-rate", str(rate)]
            )
            try:
                target = url + "/api/v1/python/execute"
                results[f"{rate}"] = {
                    "1": await measure(target, BODY, 1, requests if rate == 1000 else requests // 4),
                    "32": await measure(target, BODY, 32, requests * 4),
                }
            finally:
                stop_process(proc)
    finally:
        stop_process(echo)

    echo_1, echo_32 = results["echo"]["1"], results["echo"]["32"]
    rows: List[List[object]] = [
        ["bare aiohttp echo (floor)", "-", echo_1["p50_ms"], echo_1["p99_ms"], echo_32["rps"], 1.0, 1.0]
    ]
    for rate in ("60", "1000"):
        one, many = results[rate]["1"], results[rate]["32"]
        rows.append(
            [
                f"execute x = 1 @ {rate} Hz",
                rate,
                one["p50_ms"],
                one["p99_ms"],
                many["rps"],
                one["p50_ms"] / echo_1["p50_ms"],
                many["rps"] / echo_32["rps"],
            ]
        )
    print_table(
        "Sync execute over HTTP vs a bare aiohttp JSON echo (same run, same machine)",
        [
            "what",
            "tick Hz",
            "p50 ms (1 client)",
            "p99 ms (1 client)",
            "req/s (32 clients)",
            "p50 / echo",
            "req/s / echo",
        ],
        rows,
    )
    p50_ratio = results["1000"]["1"]["p50_ms"] / echo_1["p50_ms"]
    rps_60 = results["60"]["32"]["rps"]
    print(
        f"\ntarget: p50 at 1000 Hz <= 2.0x echo -> {p50_ratio:.2f}x  {'met' if p50_ratio <= 2 else 'MISSED'}"
    )
    print(
        f"target: >= 2000 jobs/s at 60 Hz with 32 clients -> {rps_60:,.0f}/s  "
        f"{'met' if rps_60 >= 2000 else 'MISSED'}"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000, help="requests per latency measurement")
    args = parser.parse_args()
    return asyncio.run(run(args.requests))


if __name__ == "__main__":
    sys.exit(main())
