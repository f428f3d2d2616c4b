"""The dashboard's shell in chromium: hash routes, the nav bar, a page that cannot load, the code editor's keys."""
from __future__ import annotations

from typing import Any

import pytest

from tests.ui.conftest import OpenPage

pytestmark = pytest.mark.slow


async def test_each_route_mounts_its_page_and_marks_the_nav(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await page.goto(f"{bridge_url}/")
    await page.wait_for_function("() => location.hash === '#/console'")  # the default page
    await page.locator("main[data-ready='console']").wait_for()
    for name, label in (("runs", "Runs"), ("status", "Status"), ("console", "Console")):
        await page.get_by_role("navigation", name="Pages").get_by_role("link", name=label).click()
        await page.locator(f"main[data-ready='{name}']").wait_for()
        assert await page.locator("#nav a[aria-current='page']").inner_text() == label
        assert await page.title() == f"{label} · Unreal Python Bridge"
    await page.goto(f"{bridge_url}/#/nowhere")
    await page.wait_for_function("() => location.hash === '#/console'")
    route = await page.evaluate("import('/ui/js/app.js').then(m => m.parseRoute('#/runs/ab%2012?kind=editor'))")
    assert (route["name"], route["nav"], route["id"]) == ("run", "runs", "ab 12")


async def test_a_page_that_cannot_load_says_so(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await page.route("**/ui/pages/status.js", lambda route: route.fulfill(status=404, body="gone"))
    await page.goto(f"{bridge_url}/#/status")
    alert = page.get_by_role("alert")
    await alert.get_by_text("The Status page is not available").wait_for()
    await page.get_by_role("link", name="Runs").click()  # the shell itself still works
    await page.locator("main[data-ready='runs']").wait_for()


async def test_the_editor_indents_highlights_and_lets_the_keyboard_out(bridge_url: str, open_page: OpenPage,
                                                                       page: Any) -> None:
    await open_page(bridge_url, "#/console")
    editor = page.locator("#console-code")
    await editor.fill("")
    await editor.type("def f(x):")
    await editor.press("Enter")
    await editor.type("return 'x'  # done")
    assert await editor.input_value() == "def f(x):\n    return 'x'  # done"
    # The copy is redrawn on the next animation frame, so wait for the last keystroke to reach it.
    await page.locator(".editor-highlight .tok-comment", has_text="# done").wait_for()
    kinds = await page.locator(".editor-highlight span").evaluate_all(
        "spans => spans.map(s => [s.className, s.textContent])")
    assert kinds == [["tok-keyword", "def"], ["tok-def", "f"], ["tok-keyword", "return"], ["tok-string", "'x'"],
                     ["tok-comment", "# done"]]
    await editor.press("Home")
    await editor.press("Tab")  # indents, focus stays
    assert (await editor.input_value()).endswith("\n        return 'x'  # done")
    assert await page.evaluate("document.activeElement.id") == "console-code"
    await editor.press("Escape")
    await editor.press("Tab")  # after Escape, Tab moves on like anywhere else
    assert await page.evaluate("document.activeElement.id") != "console-code"
