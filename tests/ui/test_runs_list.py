"""The Runs page in chromium: server-side filters and paging, rows that update live from /api/ws."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bridge.host import BridgeHost
from bridge.runs import RunKind, RunStatus
from tests.ui.conftest import OpenPage
from tests.ui.jobs import wait_for

pytestmark = pytest.mark.slow


def recorded(bridge: BridgeHost, kind: RunKind, name: str, status: RunStatus = RunStatus.COMPLETED,
             **fields: Any) -> str:
    run = bridge.history.create(kind, name=name, **fields)
    bridge.history.finish(run.id, status, error_message="boom" if status is RunStatus.FAILED else None)
    return run.id


async def names(page: Any) -> list:
    return [await link.inner_text() for link in await page.locator("#runs-rows a").all()]


async def test_filters_narrow_the_list_on_the_server(bridge: BridgeHost, bridge_url: str, open_page: OpenPage,
                                                     page: Any) -> None:
    recorded(bridge, RunKind.COMMAND, "Build lighting", command="make lighting", tags=("nightly",))
    recorded(bridge, RunKind.SANDBOX, "Judge", RunStatus.FAILED, command="print(1)")
    recorded(bridge, RunKind.EDITOR, "Rename props", command="rename()", tags=("nightly",))
    await open_page(bridge_url, "#/runs")
    await page.locator("#runs-summary", has_text="of 3 runs").wait_for()
    assert await names(page) == ["Rename props", "Judge", "Build lighting"]

    await page.locator("#runs-kind").select_option("command")
    await page.locator("#runs-summary", has_text="of 1 runs").wait_for()
    assert await names(page) == ["Build lighting"]
    assert "kind=command" in page.url  # the filter is in the address: a link or Back shows the same list

    await page.locator("#runs-kind").select_option("")
    await page.locator("#runs-tag").fill("nightly")
    await page.locator("#runs-summary", has_text="of 2 runs").wait_for()
    await page.locator("#runs-text").fill("PROPS")
    await page.locator("#runs-summary", has_text="of 1 runs").wait_for()
    assert await names(page) == ["Rename props"]

    await page.locator("#runs-tag").fill("")
    await page.locator("#runs-text").fill("")  # both at once: neither change may be lost
    await page.locator("#runs-summary", has_text="of 3 runs").wait_for()
    await page.locator("#runs-status").select_option("failed")
    await page.locator("#runs-summary", has_text="of 1 runs").wait_for()
    assert await names(page) == ["Judge"]


async def test_pages_are_fetched_one_at_a_time(bridge: BridgeHost, bridge_url: str, open_page: OpenPage,
                                               page: Any) -> None:
    for number in range(30):
        recorded(bridge, RunKind.COMMAND, f"run {number:02d}")
    await open_page(bridge_url, "#/runs?limit=25")
    await page.locator("#runs-summary", has_text="1\N{EN DASH}25 of 30 runs").wait_for()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    await page.locator("#runs-next").click()
    await page.locator("#runs-summary", has_text="26\N{EN DASH}30 of 30 runs").wait_for()
    assert await names(page) == [f"run {n:02d}" for n in range(4, -1, -1)]
    assert [url for url in requested if "/api/executions" in url] == [
        f"{bridge_url}/api/executions?limit=25&offset=25"]
    assert await page.locator("#runs-next").is_disabled()


async def test_a_new_run_appears_and_its_row_finishes_live(bridge: BridgeHost, bridge_url: str,
                                                           open_page: OpenPage, page: Any, tmp_path: Path) -> None:
    recorded(bridge, RunKind.EDITOR, "Older run")
    await open_page(bridge_url, "#/runs?kind=editor")
    await page.locator("#runs-live", has_text="live").wait_for()
    release = tmp_path / "release"
    async with aiohttp.ClientSession() as http, http.post(f"{bridge_url}/api/v1/python/execute", json={
            "code": wait_for(release), "name": "Live job", "async": True}) as response:
        assert response.status == 202
    row = page.locator("#runs-rows tr", has_text="Live job")
    await row.locator(".status-running").wait_for()
    await row.evaluate("el => { el.dataset.marked = 'same row'; }")  # to tell an update from a reload
    release.touch()
    await row.locator(".status-completed").wait_for()
    assert await row.evaluate("el => el.dataset.marked") == "same row"
    assert await names(page) == ["Live job", "Older run"]
