"""Sync `execute {"code": "x = 1"}` over HTTP against the headless host, beside a bare aiohttp echo.

Targets: at 1000 Hz, p50 latency at most 2x the echo's; at 60 Hz, at least 2,000 trivial jobs/s
from 32 concurrent clients.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path
from typing import Dict, Iterable, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import measure, print_table, start_process, stop_process

BODY = {"code": "x = 1"}


async def run(requests: int, rounds: int) -> int:
    echo, echo_url = start_process([sys.executable, str(Path(__file__).with_name("echo_server.py"))])
    echo_target = echo_url + "/echo"
    latency: Dict[str, List[Dict[str, float]]] = {"echo": [], "60": [], "1000": []}
    throughput: Dict[str, List[float]] = {"echo": [], "60": [], "1000": []}
    try:
        # Rounds alternate echo and bridges, so a noisy moment hits all alike; one bridge runs at a time
        # because an idle mock editor ticking at 1000 Hz would tax the others.
        for _ in range(rounds):
            latency["echo"].append(await measure(echo_target, BODY, 1, requests))
            throughput["echo"].append((await measure(echo_target, BODY, 32, requests * 2))["rps"])
            for rate in (60, 1000):
                proc, url = start_process([sys.executable, "-m", "bridge", "serve", "--port", "0",
                                           "--tick-rate", str(rate)])
                try:
                    target = url + "/api/v1/python/execute"
                    latency[str(rate)].append(await measure(target, BODY, 1, requests))
                    throughput[str(rate)].append((await measure(target, BODY, 32, requests * 2))["rps"])
                finally:
                    stop_process(proc)
    finally:
        stop_process(echo)

    def p50_ratios(name: str) -> List[float]:
        return [one["p50_ms"] / echo["p50_ms"] for one, echo in zip(latency[name], latency["echo"])]

    rows: List[List[object]] = []
    for name, label in (("echo", "bare aiohttp echo (floor)"), ("60", "execute x = 1 @ 60 Hz"),
                        ("1000", "execute x = 1 @ 1000 Hz")):
        rows.append([
            label, "-" if name == "echo" else name,
            median(r["p50_ms"] for r in latency[name]), median(r["p99_ms"] for r in latency[name]),
            median(throughput[name]), median(p50_ratios(name)),
            median(t / e for t, e in zip(throughput[name], throughput["echo"])),
        ])
    print_table(
        f"Sync execute over HTTP vs a bare aiohttp JSON echo: medians of {rounds} alternating rounds",
        ["what", "tick Hz", "p50 ms (1 client)", "p99 ms (1 client)", "req/s (32 clients)",
         "p50 / echo", "req/s / echo"],
        rows,
        note="ratios are taken round by round, then the median of the rounds is shown",
    )
    p50_ratio = median(p50_ratios("1000"))
    rps_60 = median(throughput["60"])
    print(f"\ntarget: p50 at 1000 Hz <= 2.0x echo -> {p50_ratio:.2f}x  {'met' if p50_ratio <= 2 else 'MISSED'}")
    print(f"target: >= 2000 jobs/s at 60 Hz with 32 clients -> {rps_60:,.0f}/s  "
          f"{'met' if rps_60 >= 2000 else 'MISSED'}")
    return 0


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000, help="requests per latency measurement")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds")
    args = parser.parse_args()
    return asyncio.run(run(args.requests, args.rounds))


if __name__ == "__main__":
    sys.exit(main())
