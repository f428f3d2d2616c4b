"""Trace backend benchmark: 1000-step traces over real HTTP against the headless bridge, beside untraced runs.

Run: .venv/bin/python bench/bench_trace.py [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import aiohttp
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import start_process, stop_process

STEPS = 1000

FIB = """def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

result = fib(11)
print(result)
"""

LISTS_AND_DICTS = """words = ["apple", "pear", "fig", "plum", "kiwi", "lime"]
counts = {}
lengths = []
for round_no in range(50):
    for w in words:
        counts[w] = counts.get(w, 0) + 1
        lengths.append(len(w))
    lengths = lengths[-6:]
total = sum(counts.values())
print(total, sorted(counts)[:2])
"""

CLASSES = """class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.history = []

    def deposit(self, amount):
        self.balance += amount
        self.history.append(("deposit", amount))
        return self.balance

class Bank:
    def __init__(self):
        self.accounts = {}

    def open(self, owner):
        account = Account(owner)
        self.accounts[owner] = account
        return account

bank = Bank()
for i in range(60):
    acct = bank.open("client%d" % (i % 5))
    acct.deposit(i * 10)
print(len(bank.accounts))
"""

PROGRAMS = [("recursive fib", FIB), ("lists and dicts", LISTS_AND_DICTS), ("class-heavy", CLASSES)]


Timing = Tuple[float, float, Dict[str, Any], int]


async def timed_post(http: aiohttp.ClientSession, path: str, code: str) -> Timing:
    """One request: seconds until the whole reply is received, seconds to parse it, the reply, its size."""
    started = time.perf_counter()
    async with http.post(path, json={"code": code, "options": {"max_steps": STEPS}}) as response:
        body = await response.read()
    received = time.perf_counter()
    reply = orjson.loads(body)
    return received - started, time.perf_counter() - received, reply, len(body)


async def measure(url: str, runs: int) -> List[Dict[str, Any]]:
    """For each program: traced and untraced runs, alternating, after one warm-up round."""
    rows = []
    async with aiohttp.ClientSession(base_url=url) as http:
        for name, code in PROGRAMS:
            row: Dict[str, Any] = {"name": name, "steps": 0, "traced": [], "plain": [], "parse": [],
                                   "run_traced": [], "run_plain": [], "bytes": []}
            for i in range(runs + 1):
                for path, kind in (("/api/v1/execute", "traced"), ("/api/v1/execute/simple", "plain")):
                    await asyncio.sleep(0.4)  # let the pool replace the worker, as between user requests
                    seconds, parse, reply, size = await timed_post(http, path, code)
                    if i == 0:
                        continue
                    row[kind].append(seconds)
                    row["run_" + kind].append(reply["execution_time"])
                    if kind == "traced":
                        row["parse"].append(parse)
                        row["bytes"].append(size)
                        row["steps"] = reply["total_steps"] - (reply["status"] == "limit_reached")
            rows.append(row)
    return rows


def table(rows: List[Dict[str, Any]], runs: int) -> str:
    """The results as a text table with the untraced baseline and the ratios beside them."""
    head = ["program", "steps", "steps/s", "bytes/step", "traced e2e ms", "untraced e2e ms", "e2e ratio",
            "client parse ms", "traced run ms", "untraced run ms", "run ratio"]
    lines = [head]
    med = statistics.median
    for r in rows:
        t, p = med(r["traced"]) * 1000, med(r["plain"]) * 1000
        rt, rp = med(r["run_traced"]) * 1000, med(r["run_plain"]) * 1000
        lines.append([r["name"], str(r["steps"]), f"{r['steps'] / (rt / 1000):,.0f}",
                      f"{med(r['bytes']) / r['steps']:,.0f}", f"{t:.1f}", f"{p:.1f}", f"x{t / p:.1f}",
                      f"{med(r['parse']) * 1000:.1f}", f"{rt:.1f}", f"{rp:.2f}",
                      f"x{rt / max(rp, 1e-3):.0f}"])
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    out = [" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
           for row in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    worst = max(med(r["traced"]) for r in rows) * 1000
    load = os.getloadavg()[0]
    out += [
        "",
        f"medians of {runs} runs each. e2e = POST over HTTP until the whole reply is received; "
        "client parse = orjson.loads of it afterwards.",
        "run = time inside the worker (execution_time). untraced = POST /api/v1/execute/simple of the same "
        "program, same worker pool.",
        f"target: a {STEPS}-step trace end to end under 150 ms -> worst median {worst:.1f} ms: "
        f"{'met' if worst < 150 else 'NOT met'}",
        f"machine: {os.cpu_count()} CPUs, 1-minute load average {load:.1f} (other work on the machine "
        "inflates every figure)",
    ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    # The server runs as its own process (the headless host), so the client's JSON parsing does not
    # compete with it for one GIL.
    server, url = start_process(
        [sys.executable, "-m", "bridge", "serve", "--port", "0"], env={"UE_BRIDGE_TRACE__POOL_SIZE": "2"}
    )
    try:
        rows = asyncio.run(measure(url, args.runs))
    finally:
        stop_process(server)
    print(table(rows, args.runs))


if __name__ == "__main__":
    main()
