"""Sandbox benchmark: hello-world latency through HTTP beside the bare program, throughput, build cache.

Run: .venv/bin/python bench/bench_sandbox.py [--runs N]
Starts `ue-bridge sandbox-serve` on loopback in a second process (as an editor's bridge would reach it),
and times the same programs started bare (no sandbox, no HTTP) in the same run, interleaved.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Dict, List, Optional, Tuple

import aiohttp

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench._common import start_process, stop_process
from bridge.sandbox.runtimes import Language, RunLimits, discover

HELLO: Dict[str, str] = {
    "python": "print(1)",
    "javascript": "console.log(1)",
    "ruby": "puts 1",
    "c": '#include <stdio.h>\nint main(void){puts("1");return 0;}',
    "cpp": "#include <iostream>\nint main(){std::cout << 1 << std::endl;}",
    "go": 'package main\nimport "fmt"\nfunc main(){ fmt.Println(1) }',
    "rust": 'fn main(){ println!("1"); }',
    "java": 'public class Main { public static void main(String[] a){ System.out.println("1"); } }',
}
COMPILED = ("c", "cpp", "go", "rust", "java")
LIMITS = RunLimits(memory_mb=128, cpu_count=1)
TARGETS = {"python": 0.5, "javascript": 1.3, "ruby": 1.3}


def pct(values: List[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bare_commands(languages: Dict[str, Language], workdir: str) -> Dict[str, List[str]]:
    """The same hello world started directly on the host (compiled ahead, outside the timing)."""
    cmds: Dict[str, List[str]] = {}
    for name, lang in languages.items():
        if lang.default_version is None:
            continue
        tc = lang.toolchains[lang.default_version]
        if name == "python":
            cmds[name] = [tc.identity, "-c", HELLO[name]]
        elif name == "javascript":
            cmds[name] = ["/usr/bin/node", "-e", HELLO[name]]
        elif name == "ruby":
            cmds[name] = ["/usr/bin/ruby", "-e", HELLO[name]]
        elif tc.compile is not None:
            src_name = tc.source_name(HELLO[name])
            d = os.path.join(workdir, name)
            os.makedirs(os.path.join(d, "out"))
            with open(os.path.join(d, src_name), "w") as f:
                f.write(HELLO[name])
            argv = [a.replace("/box/out", os.path.join(d, "out")) for a in tc.compile(src_name, LIMITS)]
            env = {**os.environ, **tc.env, "GOCACHE": os.path.join(d, "gocache"), "HOME": d}
            subprocess.run(argv, cwd=d, env=env, check=True, capture_output=True)
            out = os.path.join(d, "out")
            if name == "java":
                cmds[name] = [a.replace("/build", out) for a in tc.run("Main", LIMITS)]
            else:
                cmds[name] = [os.path.join(out, "main")]
    return cmds


def run_bare(argv: List[str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - t) * 1000


async def post(http: aiohttp.ClientSession, url: str, language: str, code: str) -> Tuple[float, dict]:
    t = time.perf_counter()
    async with http.post(url + "/api/execute", json={"code": code, "language": language}) as resp:
        data = await resp.json()
    ms = (time.perf_counter() - t) * 1000
    if resp.status != 200 or data.get("stdout", "").strip() != "1":
        raise RuntimeError(f"{language}: unexpected reply {resp.status} {data}")
    return ms, data


async def latency(url: str, bare: Dict[str, List[str]], runs: int) -> None:
    print("\n## Hello-world latency (ms): sandbox through HTTP vs bare program on the host\n")
    print("| language | sandbox p50 | sandbox p99 | bare p50 | bare p99 | p50 ratio | target | runs |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    async with aiohttp.ClientSession() as http:
        for language in HELLO:
            if language not in bare:
                print(f"| {language} | - | - | - | - | - | not installed | 0 |")
                continue
            await post(http, url, language, HELLO[language])  # compile once: runs below hit the cache
            sandbox: List[float] = []
            plain: List[float] = []
            for _ in range(runs):
                await asyncio.sleep(0.05)  # let a warm pool refill, as between real requests
                sandbox.append((await post(http, url, language, HELLO[language]))[0])
                plain.append(run_bare(bare[language]))
            ratio = statistics.median(sandbox) / statistics.median(plain)
            target = TARGETS.get(language)
            verdict = "-" if target is None else f"<= {target}x: {'met' if ratio <= target else 'MISSED'}"
            print(
                f"| {language} | {statistics.median(sandbox):.1f} | {pct(sandbox, 99):.1f} | "
                f"{statistics.median(plain):.1f} | {pct(plain, 99):.1f} | {ratio:.2f}x | {verdict} | {runs} |"
            )


def busy_jiffies() -> Tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# A run that computes for 100 ms of CPU: here the box's own work dominates, not starting the box.
BUSY_PYTHON = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.1:\n    pass\nprint(1)"


async def throughput(url: str, seconds: float, title: str, code: str, target: str = "") -> None:
    print(f"\n## Throughput: {title}, concurrent clients through HTTP\n")
    print("| clients | runs/s | vs 1 client | cores busy | CPU ms per run | runs/s if all cores were busy |")
    print("|---:|---:|---:|---:|---:|---:|")
    base: Optional[float] = None
    cores = os.cpu_count() or 1
    async with aiohttp.ClientSession() as http:
        for clients in (1, 2, 4, 8):
            done = 0
            stop = time.perf_counter() + seconds

            async def client(stop: float) -> None:
                nonlocal done
                while time.perf_counter() < stop:
                    await post(http, url, "python", code)
                    done += 1

            t = time.perf_counter()
            busy0, total0 = busy_jiffies()
            await asyncio.gather(*(client(stop) for _ in range(clients)))
            busy1, total1 = busy_jiffies()
            elapsed = time.perf_counter() - t
            rate = done / elapsed
            base = base or rate
            share = (busy1 - busy0) / max(1, total1 - total0)  # of all cores
            cpu_ms = share * cores * elapsed * 1000 / max(1, done)
            note = f" ({target})" if clients == 2 and target else ""
            print(
                f"| {clients} | {rate:.1f} | {rate / base:.2f}x{note} | {share * cores:.2f} of {cores} | "
                f"{cpu_ms:.1f} | {cores * 1000 / cpu_ms:.0f} |"
            )


async def compiles(url: str, languages: Dict[str, Language], runs: int) -> None:
    print("\n## Compiled languages: uncached vs cached (ms, through HTTP, p50)\n")
    print("| language | uncached (compile + run) | cached (run only) | speed-up |")
    print("|---|---:|---:|---:|")
    async with aiohttp.ClientSession() as http:
        for language in COMPILED:
            if not languages[language].toolchains:
                print(f"| {language} | - | - | not installed |")
                continue
            cold: List[float] = []
            warm: List[float] = []
            for _ in range(runs):
                comment = "#" if language == "python" else "//"
                code = f"{HELLO[language]}\n{comment} {uuid.uuid4()}\n"
                cold.append((await post(http, url, language, code))[0])
                warm.append((await post(http, url, language, code))[0])
            c, w = statistics.median(cold), statistics.median(warm)
            print(f"| {language} | {c:.0f} | {w:.1f} | {c / w:.0f}x |")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30, help="hello-world runs per language (30)")
    parser.add_argument("--seconds", type=float, default=4.0, help="duration of each throughput step (4)")
    args = parser.parse_args()
    languages = discover()
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o700)
        bare = bare_commands(languages, tmp)
        cache = os.path.join(tmp, "cache")
        # A second process, as an editor's bridge would reach it.
        proc, url = start_process(
            [sys.executable, "-m", "bridge", "sandbox-serve", "--port", "0"],
            env={
                "UE_BRIDGE_SANDBOX__WARM_POOL_SIZE": "4",
                "UE_BRIDGE_SANDBOX__CACHE_DIR": cache,
                "UE_BRIDGE_SANDBOX__QUEUE_SIZE": "256",
            },
        )
        try:
            await asyncio.sleep(1.0)  # warm pools fill
            print(f"# Sandbox benchmark ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; server {url})")
            await latency(url, bare, args.runs)
            print("\nEach run takes a fresh box, so each run also costs starting one. CPU per run is the whole")
            print("machine's busy time (server, boxes, kernel, this client) divided by the runs.")
            await throughput(url, args.seconds, "python hello world", HELLO["python"], "target >= 1.7x")
            await throughput(url, args.seconds, "python computing for 100 ms of CPU", BUSY_PYTHON)
            await compiles(url, languages, 3)
        finally:
            stop_process(proc)


if __name__ == "__main__":
    asyncio.run(main())
