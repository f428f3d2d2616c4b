"""Screenshots of every dashboard page, for the README: `make screenshots` writes docs/dashboard-<page>.png.

Starts a headless host (mock_unreal, a history in a temporary folder), fills it with representative runs,
then opens each page at 1280x800 in Debian's chromium and saves it. A page whose module the bridge does not
serve (yet) is skipped with a message.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import mock_unreal  # noqa: E402
from bridge.config import Settings  # noqa: E402
from bridge.host import BridgeHost  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

# A run with steps, progress, warnings and an image artifact: what the Run page is for.
IMPORT_JOB = '''
import struct, time, zlib
import bridge, unreal

def png(width, height):
    rows = b"".join(b"\\x00" + b"".join(bytes((255 * x // width, 255 * y // height, 200)) for x in range(width))
                    for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))

with bridge.step("Scan /Game/Props", estimated_duration=1):
    for n in range(3):
        print(f"found SM_Crate_{n:02d}")
    bridge.progress(0.3)
with bridge.step("Import textures"):
    unreal.log_warning("T_Crate_N has no mip maps; generating them")
    bridge.progress(0.7)
with bridge.step("Render preview"):
    bridge.artifact(png(160, 90), name="preview.png", artifact_type="image")
    bridge.artifact(b'{"assets": 3, "warnings": 1}', name="report.json", artifact_type="data")
    bridge.progress(1.0)
print("done")
'''

RUNS = [
    ("print('hello from the editor')", "Hello", ["demo"]),
    ("import unreal\nunreal.log('listing assets')\nunreal.EditorAssetLibrary.list_assets('/Game')", None, []),
    ("x = 1\nx / 0", "Broken script", ["nightly"]),
    ("sum(range(10))", None, ["nightly"]),
]


def start_host(data_dir: Path) -> Tuple[BridgeHost, Any]:
    from mock_unreal.editor import EditorLoop

    unreal = mock_unreal.install()
    loop = EditorLoop(tick_rate=120)
    thread = threading.Thread(target=loop.run, name="mock-game-thread", daemon=True)
    thread.start()
    host = BridgeHost(Settings.model_validate({"port": 0, "history": {"data_dir": data_dir / "data"}}), unreal)
    host.start(token_dir=data_dir)
    return host, loop


async def fill(url: str) -> Dict[str, str]:
    """Representative runs of several kinds; returns the ids worth showing."""
    import aiohttp

    ids: Dict[str, str] = {}
    async with aiohttp.ClientSession(base_url=url) as http:
        for code, name, tags in RUNS:
            body: Dict[str, Any] = {"code": code, "tags": tags}
            if name:
                body["name"] = name
            async with http.post("/api/v1/python/execute", json=body) as response:
                await response.read()
        async with http.post("/api/v1/python/execute",
                             json={"code": IMPORT_JOB, "name": "Import props", "tags": ["art"]}) as response:
            ids["steps"] = (await response.json())["job_id"]
        async with http.post("/api/executions", json={"name": "Build lighting", "command": "echo lighting built",
                                                      "tags": ["build"]}) as response:
            await response.read()
        async with http.post("/api/execute", json={"language": "python", "code": "print(6 * 7)"}) as response:
            await response.read()  # a sandbox run, when this machine has the sandbox
        async with http.post("/api/v1/execute", json={"code": "a = [1, 2]\nb = a\nb.append(3)"}) as response:
            await response.read()  # a trace run, when this machine has the tracer
    return ids


async def start_running_job(url: str) -> None:
    """A job still running while the Runs page is taken (the game thread is then busy: after the Console)."""
    import aiohttp

    async with aiohttp.ClientSession(base_url=url) as http, http.post("/api/v1/python/execute", json={
        "code": "import time\nfor i in range(100):\n    print('frame', i)\n    time.sleep(0.1)",
        "name": "Bake lighting", "async": True, "tags": ["build"],
    }) as response:
        await response.read()


def served(url: str, page: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/ui/pages/{page}.js") as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


async def console_demo(page: Any) -> None:
    await page.locator("#console-code").fill(
        "import unreal\n\nunreal.log('Checking the level')\nunreal.log_warning('2 actors have no collision')\n"
        "for n in range(3):\n    print(f'SM_Rock_{n:02d}')\n\n6 * 7")
    await page.locator("#console-run").click()
    await page.locator("#console-status", has_text="completed").wait_for()


async def runs_demo(page: Any) -> None:
    await page.locator("#runs-rows tr").first.wait_for()
    await page.locator("#runs-rows .status-running").wait_for()


async def run_demo(page: Any) -> None:
    await page.locator("#run-artifacts img").wait_for()


async def status_demo(page: Any) -> None:
    await page.locator("#status-database").wait_for()
    await page.locator("#status-chart").wait_for()


async def press_run(page: Any) -> None:
    """Another page's own example, run: click its Run button when it has one, and give the reply time to draw."""
    run = page.get_by_role("button", name="Run", exact=True)
    if await run.count() == 1 and await run.is_enabled():
        await run.click()
        await page.wait_for_timeout(2000)


Demo = Optional[Callable[[Any], Awaitable[None]]]


async def shoot(url: str, ids: Dict[str, str], out: Path) -> List[str]:
    from playwright.async_api import async_playwright

    pages: List[Tuple[str, str, str, Demo]] = [
        ("console", "console", "#/console", console_demo),
        ("runs", "runs", "#/runs", runs_demo),
        ("run", "run", f"#/runs/{ids['steps']}", run_demo),
        ("scripts", "scripts", "#/scripts", None),
        ("trace", "trace", "#/trace", press_run),
        ("sandbox", "sandbox", "#/sandbox", press_run),
        ("status", "status", "#/status", status_demo),
    ]
    saved: List[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for name, module, route, demo in pages:
                if not served(url, module):
                    print(f"skipped {name}: the bridge does not serve /ui/pages/{module}.js (not built yet)")
                    continue
                if name == "runs":
                    await start_running_job(url)
                context = await browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
                page = await context.new_page()
                await page.goto(f"{url}/{route}")
                await page.wait_for_selector("main#main[data-ready]", timeout=15_000)
                if demo is not None:
                    await demo(page)
                await page.wait_for_timeout(300)  # let the last live update paint
                target = out / f"dashboard-{name}.png"
                await page.screenshot(path=str(target))
                saved.append(str(target))
                print(f"saved {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
                await context.close()
        finally:
            await browser.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNG files (default: docs/)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        host, loop = start_host(Path(folder))
        try:
            ids = asyncio.run(fill(host.url))
            asyncio.run(shoot(host.url, ids, args.out))
        finally:
            host.stop()
            loop.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
