"""What the MCP server costs an agent: 50 execute_python calls through `ue-bridge mcp` over stdio, beside the
same 50 runs as sync POST /api/v1/python/execute, against the same headless bridge in the same run.

Target: the MCP call's median at most 1.5x the REST call's.
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

CODE = "x = 1"
WARM_UP = 5
UE_BRIDGE = str(Path(sys.executable).with_name("ue-bridge"))


async def ready(url: str) -> None:
    """Until the game thread ticks: the first frame comes a moment after the port opens."""
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            async with http.get(url + "/api/v1/ready") as response:
                if response.status == 200:
                    return
            await asyncio.sleep(0.05)
    raise RuntimeError(f"{url} never became ready")


async def over_rest(url: str, calls: int, pause: float) -> List[float]:
    times: List[float] = []
    async with aiohttp.ClientSession() as http:
        for n in range(calls + WARM_UP):
            began = time.perf_counter()
            async with http.post(url + "/api/v1/python/execute", json={"code": CODE}) as response:
                body = await response.json()
                if response.status != 200 or body["status"] != "completed":
                    raise RuntimeError(f"REST execute answered {response.status}: {body}")
            if n >= WARM_UP:
                times.append(time.perf_counter() - began)
            await asyncio.sleep(pause)
    return times


async def over_mcp(url: str, calls: int, pause: float) -> List[float]:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    times: List[float] = []
    params = StdioServerParameters(command=UE_BRIDGE, args=["mcp", "--url", url])
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        for n in range(calls + WARM_UP):
            began = time.perf_counter()
            result = await session.call_tool("execute_python", {"code": CODE})
            if result.is_error or (result.structured_content or {}).get("status") != "completed":
                raise RuntimeError(f"execute_python answered {result}")
            if n >= WARM_UP:
                times.append(time.perf_counter() - began)
            await asyncio.sleep(pause)
    return times


async def compare(url: str, args: argparse.Namespace, pause: float) -> Dict[str, Dict[str, float]]:
    """Medians over alternating rounds (a noisy moment hits both alike): p50 and mean per transport, in ms."""
    p50: Dict[str, List[float]] = {"rest": [], "mcp": []}
    mean: Dict[str, List[float]] = {"rest": [], "mcp": []}
    for _ in range(args.rounds):
        for transport, measure in (("rest", over_rest), ("mcp", over_mcp)):
            times = await measure(url, args.calls, pause)
            p50[transport].append(statistics.median(times) * 1000)
            mean[transport].append(statistics.fmean(times) * 1000)
    return {"p50": {t: statistics.median(v) for t, v in p50.items()},
            "mean": {t: statistics.median(v) for t, v in mean.items()},
            "ratio": {"p50": statistics.median(m / r for m, r in zip(p50["mcp"], p50["rest"])),
                      "mean": statistics.median(m / r for m, r in zip(mean["mcp"], mean["rest"]))}}


def rows(found: Dict[str, Dict[str, float]], calls: int, label: str) -> List[List[object]]:
    return [[f"REST sync POST /api/v1/python/execute{label} (baseline)", found["p50"]["rest"],
             found["mean"]["rest"], found["mean"]["rest"] * calls / 1000, 1.0, 1.0],
            [f"MCP stdio tools/call execute_python{label}", found["p50"]["mcp"], found["mean"]["mcp"],
             found["mean"]["mcp"] * calls / 1000, found["ratio"]["p50"], found["ratio"]["mean"]]]


async def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as data:
        proc, url = start_process([sys.executable, "-m", "bridge", "serve", "--port", "0", "--tick-rate",
                                   str(args.tick_rate), "--data-dir", data])
        try:
            await ready(url)
            loop = await compare(url, args, 0.0)
            paced = await compare(url, args, args.pause / 1000)
        finally:
            stop_process(proc)
    print_table(
        f"{args.calls} execute_python '{CODE}' calls, one at a time ({args.tick_rate} Hz headless bridge), "
        f"medians of {args.rounds} alternating rounds",
        ["transport", "p50 ms", "mean ms", f"{args.calls} calls, s", "p50 / REST", "mean / REST"],
        rows(loop, args.calls, ", back to back") + rows(paced, args.calls, f", {args.pause:g} ms apart"),
        note="an MCP call is a JSON-RPC round trip over stdio (the SDK's client and server) around the same sync "
             "POST; back to back, REST calls land within a frame's tick_linger_ms of each other and share frames",
    )
    ratio = loop["ratio"]["p50"]
    print(f"\ntarget: MCP execute_python p50 / REST, back to back, <= 1.5x -> {ratio:.2f}x  "
          f"{'met' if ratio <= 1.5 else 'MISSED'}")
    print(f"reported: the same {args.pause:g} ms apart -> {paced['ratio']['p50']:.2f}x")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=50, help="calls per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    parser.add_argument("--tick-rate", type=int, default=60, help="mock editor frames per second (an editor's)")
    parser.add_argument("--pause", type=float, default=50.0, help="ms between calls of the paced measurement")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
