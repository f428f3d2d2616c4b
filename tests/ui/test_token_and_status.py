"""The token prompt of a host that requires one, and the Status page, in chromium."""
from __future__ import annotations

from typing import Any

import pytest

from bridge.host import BridgeHost
from bridge.runs import RunKind, RunStatus
from tests.ui.conftest import BRIDGE_TOKEN, OpenPage

pytestmark = pytest.mark.slow


async def test_the_page_asks_for_the_token_once_and_keeps_it_for_the_tab(token_bridge_url: str, page: Any) -> None:
    await page.goto(f"{token_bridge_url}/#/runs")
    dialog = page.get_by_role("dialog", name="This bridge needs its token")
    await dialog.wait_for()
    await dialog.get_by_label("Token").fill("not-the-token")
    await dialog.get_by_role("button", name="Use token").click()
    await dialog.get_by_text("did not accept that token").wait_for()
    await dialog.get_by_label("Token").fill(BRIDGE_TOKEN)
    await dialog.get_by_role("button", name="Use token").click()
    await page.locator("#runs-summary", has_text="of 0 runs").wait_for()
    assert await page.evaluate("sessionStorage.getItem('ue-bridge-token')") == BRIDGE_TOKEN
    # The WebSocket carries it too (as its subprotocols): the list is live.
    await page.locator("#runs-live", has_text="● live").wait_for()

    await page.goto(f"{token_bridge_url}/#/status")  # a reload in the same tab: not asked again
    await page.locator("#status-database").wait_for()
    assert await page.get_by_role("dialog").count() == 0

    await page.locator("#forget-token").click()
    await page.get_by_role("dialog", name="This bridge needs its token").wait_for()


async def test_cancelling_the_prompt_shows_the_refusal(token_bridge_url: str, page: Any) -> None:
    await page.goto(f"{token_bridge_url}/#/runs")
    dialog = page.get_by_role("dialog", name="This bridge needs its token")
    await dialog.get_by_role("button", name="Cancel").click()
    # The refusal arrives with the list request's answer, after the click has returned.
    await page.locator("#runs-error", has_text="requires 'Authorization: Bearer <token>'").wait_for()


async def test_status_shows_the_editor_the_game_thread_and_the_database(bridge: BridgeHost, bridge_url: str,
                                                                        open_page: OpenPage, page: Any) -> None:
    for status in (RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.FAILED):
        run = bridge.history.create(RunKind.COMMAND, name="x", started=True)
        bridge.history.finish(run.id, status, error_message="boom" if status is RunStatus.FAILED else None)
    await open_page(bridge_url, "#/status")
    database = page.locator("#status-database")
    assert await database.locator("dd").first.inner_text() == "connected"
    assert await page.locator("#status-total-runs").inner_text() == "3"
    facts = dict(zip([await t.inner_text() for t in await database.locator("dt").all()],
                     [await d.inner_text() for d in await database.locator("dd").all()]))
    assert (facts["Completed"], facts["Failed"]) == ("2", "1")
    thread = page.locator("#status-thread")
    assert await thread.locator("dd").first.inner_text() == "yes"  # the mock editor ticks
    assert await page.locator("#status-queue").inner_text() == "0"
    assert "headless (mock_unreal)" in await page.locator("#status-editor").inner_text()
    # Three runs this minute, one of them failed: one bar of each colour, and a dot per run.
    chart = page.locator("#status-chart")
    assert await chart.locator("rect.bar.failed").count() == 1
    assert await chart.locator("circle.dot").count() == 3
