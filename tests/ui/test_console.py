"""The Console page in chromium: live output while a job runs, Cancel, results, tracebacks, history."""
from __future__ import annotations

from typing import Any, Dict

import aiohttp
import pytest

from tests.ui.conftest import OpenPage

pytestmark = pytest.mark.slow

TICKING = "import time\nfor i in range(200):\n    print(f'tick {i}')\n    time.sleep(0.05)\n"


async def jobs(url: str) -> Dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.get(f"{url}/api/v1/python/jobs") as response:
        return {job["id"]: job for job in (await response.json())["jobs"]}


async def type_code(page: Any, code: str) -> None:
    editor = page.locator("#console-code")
    await editor.fill(code)


async def test_output_is_live_and_cancel_interrupts(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(bridge_url, "#/console")
    await type_code(page, TICKING)
    await page.locator("#console-code").press("Control+Enter")
    await page.locator("#output", has_text="tick 3").wait_for()
    # Seen while the job still runs: the line came live, not with the final reply.
    running = [job for job in (await jobs(bridge_url)).values() if job["status"] == "running"]
    assert len(running) == 1
    await page.locator("#console-cancel").click()
    await page.locator("#console-status", has_text="cancelled").wait_for()
    job = (await jobs(bridge_url))[running[0]["id"]]
    assert job["status"] == "cancelled"
    assert "tick 199" not in await page.locator("#output").inner_text()


async def test_result_warnings_and_a_traceback_that_moves_the_cursor(bridge_url: str, open_page: OpenPage,
                                                                     page: Any) -> None:
    await open_page(bridge_url, "#/console")
    await type_code(page, "import unreal\nunreal.log_warning('careful')\nx = 1\nx / 0\n")
    await page.locator("#console-run").click()
    await page.locator("#console-status", has_text="failed").wait_for()
    assert await page.locator("#output .warning").inner_text() == "Warning: careful\n"
    assert "ZeroDivisionError" in await page.locator("#console-error").inner_text()
    await page.locator("#console-code").evaluate("el => el.setSelectionRange(0, 0)")
    await page.get_by_role("button", name="Go to line 4 in the editor").click()
    caret = await page.locator("#console-code").evaluate(
        "el => el.value.slice(0, el.selectionStart).split('\\n').length")
    assert caret == 4

    await type_code(page, "6 * 7")
    await page.locator("#console-code").press("Control+Enter")
    await page.locator("#console-status", has_text="completed").wait_for()
    assert await page.locator("#console-result-value").inner_text() == "42"


async def test_sessions_keep_variables_and_history_recalls_commands(bridge_url: str, open_page: OpenPage,
                                                                    page: Any) -> None:
    await open_page(bridge_url, "#/console")
    await page.locator("#console-session").fill("ui-repl")
    await page.locator("#console-sync").check()  # the sync path: the reply carries the outcome
    for code, shown in (("count = 41", "None (no value)"), ("count += 1\ncount", "42")):
        await type_code(page, code)
        await page.locator("#console-run").click()
        await page.locator("#console-result-value", has_text=shown).wait_for()
    editor = page.locator("#console-code")
    await editor.fill("")
    await editor.press("ArrowUp")
    assert await editor.input_value() == "count += 1\ncount"
    await editor.evaluate("el => el.setSelectionRange(0, 0)")
    await editor.press("ArrowUp")
    assert await editor.input_value() == "count = 41"
    await editor.press("ArrowDown")
    assert await editor.input_value() == "count += 1\ncount"


async def test_bad_input_is_explained_on_the_page(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(bridge_url, "#/console")
    await page.locator("#console-session").fill("has spaces")
    await page.locator("#console-run").click()
    assert "session name" in await page.locator("#console-message").inner_text()
    await page.locator("#console-session").fill("")
    await page.locator("#console-timeout").fill("7200")
    await page.locator("#console-run").click()
    assert "between 0 and 3600" in await page.locator("#console-message").inner_text()
    assert await jobs(bridge_url) == {}
