"""Shared pieces of the benchmarks: starting servers as processes, timing requests, printing tables."""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

import aiohttp


def start_process(
    args: Sequence[str], pattern: str = r"(http://\S+)", env: Optional[Dict[str, str]] = None
) -> Tuple[subprocess.Popen, str]:
    """Start a server process (with `env` added to ours) and return it with the URL from the first line it prints.

    Its later output is read and dropped in the background: a server whose log fills the pipe would
    otherwise block in the middle of a measurement.
    """
    # The host's request log would be timed too: a benchmark measures the server, not its terminal.
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "UE_BRIDGE_ACCESS_LOG": "false", **(env or {})}
    proc = subprocess.Popen(list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=full_env)
    assert proc.stdout is not None
    line, match = "", None
    for _ in range(20):  # start-up may print warnings before the URL
        line += proc.stdout.readline()
        match = re.search(pattern, line)
        if match is not None or proc.poll() is not None:
            break
    if match is None:
        proc.kill()
        raise RuntimeError(f"{args[0]} did not start: {line}{proc.stdout.read()}")
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return proc, match.group(1)


def stop_process(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def measure(url: str, body: Dict[str, Any], clients: int, requests: int) -> Dict[str, float]:
    """`requests` POSTs from `clients` concurrent connections: latency percentiles and throughput."""
    latencies: List[float] = []
    remaining = requests
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        for _ in range(min(50, requests)):  # warm-up
            async with session.post(url, json=body) as response:
                await response.read()

        async def client() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                start = time.perf_counter()
                async with session.post(url, json=body) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{url} answered {response.status}: {await response.text()}")
                latencies.append(time.perf_counter() - start)

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "rps": len(latencies) / elapsed,
    }


def print_table(
    title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], note: Optional[str] = None
) -> None:
    print(f"\n{title}")
    widths = [max(len(str(h)), *(len(_cell(r[i])) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(_cell(c).ljust(w) for c, w in zip(row, widths)))
    if note:
        print(note)
    sys.stdout.flush()


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
