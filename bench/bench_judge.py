"""The practice judge end to end: a 10-test Two Sum submission over HTTP, per language, and submissions/s.

Targets (issue 15): Python p50 <= 150 ms; compiled languages with a warm build cache <= 2x Python's p50.
Submissions per second with 4 concurrent clients, beside one client, for Python.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import print_table, start_process, stop_process
from bridge.practice.catalogue import load_problems

TWO_SUM = next(p for p in load_problems() if p.title == "Two Sum")


async def token(http: aiohttp.ClientSession, url: str) -> Dict[str, str]:
    body = {"email": "bench@example.com", "password": "password123", "username": "bench"}
    async with http.post(url + "/api/auth/signup", json=body) as r:
        reply = await r.json()
    return {"Authorization": f"Bearer {reply['session']['access_token']}"}


async def timed_submissions(http: aiohttp.ClientSession, url: str, auth: Dict[str, str], language: str,
                            clients: int, count: int) -> tuple[List[float], float]:
    body = {"problem_id": TWO_SUM.id, "code": TWO_SUM.solutions[language], "language": language}
    latencies: List[float] = []
    remaining = count

    async def client() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            began = time.perf_counter()
            async with http.post(url + "/api/submissions", json=body, headers=auth) as r:
                reply = await r.json()
            if reply.get("status") != "accepted":
                raise RuntimeError(f"{language}: {reply}")
            latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return sorted(latencies), count / (time.perf_counter() - began)


def p(latencies: List[float], q: float) -> float:
    return latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000


async def run(args: argparse.Namespace) -> int:
    env = {"UE_BRIDGE_PRACTICE__RATE_LIMIT_IP": "1000000/minute", "UE_BRIDGE_PRACTICE__RATE_LIMIT_USER": "1000000/hour"}
    with tempfile.TemporaryDirectory() as data:
        proc, url = start_process([sys.executable, "-m", "bridge", "practice", "serve", "--port", "0",
                                   "--data-dir", data], env=env)
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
                auth = await token(http, url)
                rows, p50s = [], {}
                for language in ("python", "javascript", "java", "cpp"):
                    await timed_submissions(http, url, auth, language, 1, 3)  # warm-up: pools, build cache
                    latencies, _ = await timed_submissions(http, url, auth, language, 1, args.submissions)
                    p50s[language] = statistics.median(latencies) * 1000
                    rows.append([language, p50s[language], p(latencies, 0.99), p50s[language] / p50s["python"]])
                print_table(f"A {len(TWO_SUM.tests)}-test submission judged end to end ({args.submissions} each, "
                            "1 client)", ["language", "p50 ms", "p99 ms", "p50 / python"], rows)
                _, one = await timed_submissions(http, url, auth, "python", 1, args.submissions)
                _, four = await timed_submissions(http, url, auth, "python", 4, args.submissions)
                print_table("Python submissions per second", ["clients", "submissions/s", "vs 1 client"],
                            [["1 (baseline)", one, 1.0], ["4", four, four / one]])
        finally:
            stop_process(proc)
    verdicts = [["python p50", "<= 150 ms", f"{p50s['python']:.0f} ms", p50s["python"] <= 150]]
    for language in ("java", "cpp"):
        ratio = p50s[language] / p50s["python"]
        verdicts.append([f"{language} p50 / python (cached build)", "<= 2x", f"{ratio:.2f}x", ratio <= 2])
    print()
    for what, target, got, met in verdicts:
        print(f"target: {what} {target} -> {got}  {'met' if met else 'MISSED'}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=40, help="timed submissions per measurement")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
