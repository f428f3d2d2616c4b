"""A run's page in chromium: progress and steps moving live, an image artifact previewed, Re-run, Delete."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import aiohttp
import pytest

from tests.ui.conftest import OpenPage
from tests.ui.jobs import png, wait_for

pytestmark = pytest.mark.slow


async def submit(url: str, code: str, **fields: Any) -> str:
    async with aiohttp.ClientSession() as http, http.post(
            f"{url}/api/v1/python/execute", json={"code": code, "async": True, **fields}) as response:
        assert response.status == 202, await response.text()
        return str((await response.json())["job_id"])


async def execution(url: str, run_id: str) -> Dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.get(f"{url}/api/executions/{run_id}") as response:
        return dict((await response.json())["data"])


async def test_progress_bar_and_steps_move_while_the_run_goes(bridge_url: str, open_page: OpenPage, page: Any,
                                                              tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    code = ("import bridge\n"
            "with bridge.step('Scan assets'):\n    bridge.progress(0.25)\n"
            + "".join(f"    {line}\n" for line in wait_for(first).splitlines())
            + "with bridge.step('Import textures'):\n    bridge.progress(0.75)\n"
            + "".join(f"    {line}\n" for line in wait_for(second).splitlines())
            + "print('all done')\n")
    run_id = await submit(bridge_url, code, name="Import")
    await open_page(bridge_url, f"#/runs/{run_id}")
    bar = page.locator("#run-progress")
    await page.locator("#run-progress[aria-valuenow='25']").wait_for()
    await page.locator("#run-steps li", has_text="Scan assets").locator(".status-running").wait_for()
    first.touch()
    await page.locator("#run-progress[aria-valuenow='75']").wait_for()
    await page.locator("#run-steps li", has_text="Scan assets").locator(".status-completed").wait_for()
    await page.locator("#run-steps li", has_text="Import textures").locator(".status-running").wait_for()
    width_at_75 = await bar.locator("span").evaluate("el => el.style.width")
    assert width_at_75 == "75%"
    second.touch()
    await page.locator("#run-status .status-completed").wait_for()
    await page.locator("#run-output", has_text="all done").wait_for()
    assert (await execution(bridge_url, run_id))["execution"]["status"] == "completed"


async def test_an_image_artifact_is_previewed_and_json_on_demand(bridge_url: str, open_page: OpenPage,
                                                                 page: Any) -> None:
    image = png(64, 32)
    code = (f"import bridge\nbridge.artifact({image!r}, name='preview.png', artifact_type='image')\n"
            "bridge.artifact(b'{\"assets\": 3}', name='report.json', artifact_type='data')\n")
    run_id = await submit(bridge_url, code)
    await open_page(bridge_url, f"#/runs/{run_id}")
    picture = page.locator("#run-artifacts img")
    await picture.wait_for()
    await page.wait_for_function("() => document.querySelector('#run-artifacts img').naturalWidth > 0")
    assert await picture.evaluate("el => [el.naturalWidth, el.naturalHeight]") == [64, 32]
    report = page.locator("#run-artifacts li", has_text="report.json")
    await report.get_by_role("button", name="Preview").click()
    assert await report.locator("pre").inner_text() == '{\n  "assets": 3\n}'


async def test_rerun_sends_the_same_job_and_delete_removes_it(bridge_url: str, open_page: OpenPage,
                                                              page: Any) -> None:
    run_id = await submit(bridge_url, "count = 20\ncount * 2", name="Answer", tags=["ui"], session_id="ui-rerun")
    await open_page(bridge_url, f"#/runs/{run_id}")
    await page.locator("#run-status .status-completed").wait_for()
    await page.locator("#run-rerun").click()
    await page.wait_for_function(f"() => location.hash.startsWith('#/runs/') && !location.hash.endsWith('{run_id}')")
    new_id = page.url.rsplit("/", 1)[1]
    await page.locator("#run-status .status-completed").wait_for()
    await page.locator("#run-result", has_text="40").wait_for()
    again = (await execution(bridge_url, new_id))["execution"]
    assert (again["name"], again["tags"], again["command"]) == ("Answer", ["ui"], "count = 20\ncount * 2")

    page.once("dialog", lambda dialog: dialog.accept())
    await page.locator("#run-delete").click()
    await page.wait_for_function("() => location.hash === '#/runs'")
    async with aiohttp.ClientSession() as http, http.get(f"{bridge_url}/api/executions/{new_id}") as response:
        assert response.status == 404


async def test_an_unknown_run_says_so(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await page.goto(f"{bridge_url}/#/runs/no-such-run")
    await page.get_by_role("heading", name="No such run").wait_for()
    assert "not found" in await page.locator("[role=alert]").inner_text()
