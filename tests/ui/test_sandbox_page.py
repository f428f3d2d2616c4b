"""The Sandbox page in chromium: languages and limits from /api/runtimes, runs in two languages, errors shown."""
from __future__ import annotations

from typing import Any, Dict, List

import aiohttp
import pytest

from tests.needs import missing
from tests.ui.conftest import OpenPage

pytestmark = pytest.mark.slow


async def runtimes(url: str) -> List[Dict[str, Any]]:
    """The bridge's runtimes; skips (fails under CI) when the sandbox cannot run anything here."""
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/api/execute", json={"language": "python", "code": "print(1)"}) as response:
            if response.status == 503:
                missing(f"the sandbox cannot run here: {(await response.json())['detail']}")
            assert response.status == 200, await response.text()
        async with http.get(f"{url}/api/runtimes") as response:
            return list((await response.json())["runtimes"])


async def second_language(url: str) -> Dict[str, Any]:
    """javascript when it is installed (scripts/install-sandbox-deps.sh installs it under CI), else another."""
    available = [r for r in await runtimes(url) if r["available"] and r["language"] != "python"]
    if not available:
        missing("no sandbox language but python is installed (scripts/install-sandbox-deps.sh)")
    return next((r for r in available if r["language"] == "javascript"), available[0])


async def run(page: Any) -> Any:
    await page.get_by_role("button", name="Run", exact=True).click()
    reply = page.locator(".sandbox-reply")
    await reply.wait_for()
    return reply


async def facts(reply: Any) -> Dict[str, str]:
    names = await reply.locator("dl.sandbox-facts dt").all_inner_texts()
    values = await reply.locator("dl.sandbox-facts dd").all_inner_texts()
    return dict(zip(names, values))


async def test_a_run_in_python_and_in_another_language(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    other = await second_language(bridge_url)
    await open_page(bridge_url, "#/sandbox")
    language = page.get_by_label("Language")
    assert await language.input_value() == "python"
    python = next(r for r in await runtimes(bridge_url) if r["language"] == "python")
    assert await page.get_by_label("Version").input_value() == python["default_version"]
    assert await page.get_by_label("Time limit (ms)").get_attribute("max") == str(python["max_limits"]["timeout_ms"])
    await page.get_by_label("Standard input").fill("Ada")
    reply = await run(page)
    assert await reply.get_attribute("data-status") == "ok"
    assert await page.locator("#sandbox-stdout").inner_text() == "Hello, Ada!\n"
    shown = await facts(reply)
    assert shown["Language"] == f"python {python['default_version']}"
    assert shown["Exit code"] == "0"
    assert shown["Wall time"].endswith(" ms") and shown["CPU time"].endswith(" ms")

    await language.select_option(other["language"])
    assert await page.get_by_label("Version").input_value() == other["default_version"]
    assert await page.get_by_label("Memory (MiB)").get_attribute("max") == str(other["max_limits"]["memory_mb"])
    code = await page.locator("#sandbox-code").input_value()
    assert "Hello" in code and "input()" not in code  # that language's own example replaced the Python one
    await page.get_by_role("button", name="Run", exact=True).click()
    await page.locator(".sandbox-reply", has_text=f"{other['language']} {other['default_version']}").wait_for(
        timeout=60_000)  # a compiled language compiles first
    reply = page.locator(".sandbox-reply")
    assert await reply.get_attribute("data-status") == "ok"
    assert await page.locator("#sandbox-stdout").inner_text() == "Hello, Ada!\n"


async def test_failures_and_limits_are_shown(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await runtimes(bridge_url)
    await open_page(bridge_url, "#/sandbox")
    code = page.locator("#sandbox-code")

    await code.fill("import sys\nprint('partial')\nprint('bad', file=sys.stderr)\nsys.exit(3)\n")
    reply = await run(page)
    assert await reply.get_attribute("data-status") == "runtime_error"
    assert (await facts(reply))["Exit code"] == "3"
    assert await page.locator("#sandbox-stderr").inner_text() == "bad\n"
    assert await page.locator("#sandbox-stdout").inner_text() == "partial\n"

    # The wall clock: a 408 whose body still carries the run and what it printed before the kill.
    await code.fill("print('started', flush=True)\nwhile True:\n    pass\n")
    await page.get_by_label("Time limit (ms)").fill("500")
    reply = await run(page)
    assert await reply.get_attribute("data-status") == "timeout"
    assert "ran out of time" in await reply.locator(".sandbox-status").inner_text()
    assert await page.locator("#sandbox-stdout").inner_text() == "started\n"

    # A limit past the language's maximum is refused by the bridge, and the page says why.
    await code.fill("print(1)\n")
    await page.get_by_label("Time limit (ms)").evaluate("el => { el.removeAttribute('max'); el.value = '999999'; }")
    await page.get_by_role("button", name="Run", exact=True).click()
    refused = page.locator(".sandbox-result .notice.error")
    await refused.wait_for()
    assert "Resource limits exceed maximum allowed values" in await refused.inner_text()
    assert await page.locator(".sandbox-reply").count() == 0


async def test_the_field_refuses_a_limit_past_the_maximum(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await runtimes(bridge_url)
    await open_page(bridge_url, "#/sandbox")
    await page.get_by_label("CPU cores").fill("99")
    await page.get_by_role("button", name="Run", exact=True).click()
    assert await page.get_by_label("CPU cores").evaluate("el => el.validity.rangeOverflow") is True
    assert await page.locator(".sandbox-result").inner_text() == ""


async def test_a_sandbox_that_cannot_run_says_why(start_bridge: Any, open_page: OpenPage, page: Any) -> None:
    url = start_bridge(sandbox={"enabled": False}).url
    await open_page(url, "#/sandbox")
    reason = page.locator(".sandbox-form .field-error")
    await reason.wait_for()
    assert await reason.inner_text() == (
        "No language can run here: the sandbox is disabled in settings (sandbox.enabled)")
    assert await page.get_by_role("button", name="Run", exact=True).is_disabled()
    assert await page.locator("#sandbox-language option:not([disabled])").count() == 0
