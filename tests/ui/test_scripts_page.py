"""The Scripts page in chromium: forms from each script's schema, the server's messages on the field at fault."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.ui.conftest import OpenPage

pytestmark = pytest.mark.slow

REPORT_SCRIPT = '''"""A script whose parameters use every kind of form field."""
from typing import List, Literal, Optional


def make_report(title: str, kind: Literal["mesh", "texture"] = "texture", counts: List[int] = [1, 2],
                verbose: bool = True, note: Optional[str] = None, ratio: float = 0.5) -> List[dict]:
    """One row per count, saying what was asked.

    Args:
        title: what the report is called
        kind: which assets it is about
        counts: one row each
        verbose: say more
        note: free text
        ratio: a fraction
    """
    return [{"title": title, "kind": kind, "count": count, "verbose": verbose, "note": note} for count in counts]
'''

BOUNDED_SCRIPT = '''"""A script with a bounded number."""
from typing import Annotated

from pydantic import Field


def pick(level: Annotated[int, Field(ge=1, le=10)] = 3) -> int:
    """Pick a level.

    Args:
        level: from 1 to 10
    """
    return level
'''


def script_dir(tmp_path: Path, name: str, source: str) -> Path:
    folder = tmp_path / "project-scripts"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(source)
    return folder


@pytest.fixture
def report_url(start_bridge: Any, tmp_path: Path) -> str:
    """A headless host that also has the make_report script."""
    return str(start_bridge(scripts={"dirs": [str(script_dir(tmp_path, "make_report", REPORT_SCRIPT))]}).url)


async def field(page: Any, name: str) -> Any:
    return page.locator(f'.script-form [data-param="{name}"]')


async def test_every_script_is_listed_with_its_description(bridge_url: str, open_page: OpenPage,
                                                           page: Any) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{bridge_url}/api/v1/scripts") as response:
        scripts = (await response.json())["scripts"]
    await open_page(bridge_url, "#/scripts")
    links = page.locator(".script-list a.script-link")
    assert await links.locator(".script-name").all_inner_texts() == [s["name"] for s in scripts]
    assert await links.locator(".script-description").all_inner_texts() == [s["description"] for s in scripts]
    await links.filter(has_text="list_assets").click()
    await page.wait_for_selector('main#main[data-ready="scripts"] .script-form')
    assert page.url.endswith("#/scripts/list_assets")
    assert await page.locator(".script-detail h2").inner_text() == "list_assets"
    assert await links.filter(has_text="list_assets").get_attribute("aria-current") == "page"


async def test_the_form_follows_the_schema(report_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(report_url, "#/scripts/make_report")
    title = page.get_by_label("title")
    assert await title.get_attribute("aria-required") == "true"
    assert await (await field(page, "title")).locator(".required-mark").inner_text() == " *"
    kind = page.get_by_label("kind")
    assert await kind.evaluate("el => el.tagName") == "SELECT"
    assert await kind.locator("option").all_inner_texts() == ["(default)", "mesh", "texture"]
    assert await kind.evaluate("el => el.selectedOptions[0].textContent") == "texture"
    assert await page.get_by_label("counts item 1", exact=True).input_value() == "1"
    assert await page.get_by_label("counts item 2", exact=True).input_value() == "2"
    assert await page.get_by_label("counts item 1", exact=True).get_attribute("type") == "number"
    assert await page.get_by_label("verbose").is_checked()
    assert await page.get_by_label("note").input_value() == ""
    assert await page.get_by_label("ratio").input_value() == "0.5"
    assert await page.get_by_label("ratio").get_attribute("step") == "any"
    assert "default: 0.5" in await (await field(page, "ratio")).locator(".hint").inner_text()


async def test_validation_errors_are_shown_on_the_field_and_a_success_is_a_table(
        report_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(report_url, "#/scripts/make_report")
    run = page.get_by_role("button", name="Run", exact=True)

    # Left empty, the required title is missing: the server says so, and the page puts it on that field.
    await run.click()
    title_error = (await field(page, "title")).locator(".field-error")
    await title_error.wait_for()
    assert await title_error.inner_text() == "required parameter is missing"
    assert await page.get_by_label("title").get_attribute("aria-invalid") == "true"
    assert await page.evaluate("document.activeElement.id") == "script-param-title"

    # A fraction in a list of whole numbers: the message names the item, and that item is marked.
    await page.get_by_label("title").fill("Weekly")
    await page.get_by_label("counts item 2", exact=True).fill("2.5")
    await run.click()
    counts_error = (await field(page, "counts")).locator(".field-error")
    await counts_error.wait_for()
    assert (await counts_error.inner_text()).startswith("item 1: Input should be a valid integer")
    assert await page.get_by_label("counts item 2", exact=True).get_attribute("aria-invalid") == "true"
    assert await page.get_by_label("counts item 1", exact=True).get_attribute("aria-invalid") is None
    assert await title_error.inner_text() == ""
    assert await page.get_by_label("title").get_attribute("aria-invalid") is None

    # Fixed: change the list and the choice, run, and the list of records comes back as a table.
    await page.get_by_role("button", name="Remove counts item 2").click()
    await page.get_by_role("button", name="Add item").click()
    await page.get_by_label("counts item 2", exact=True).fill("7")
    await page.get_by_label("kind").select_option(label="mesh")
    await page.get_by_label("verbose").uncheck()
    await run.click()
    table = page.locator(".script-result table.script-table")
    await table.wait_for()
    assert await counts_error.inner_text() == ""
    assert await table.locator("thead th").all_text_contents() == ["title", "kind", "count", "verbose", "note"]
    rows = [await row.locator("td").all_inner_texts() for row in await table.locator("tbody tr").all()]
    assert rows == [["Weekly", "mesh", "1", "false", "—"], ["Weekly", "mesh", "7", "false", "—"]]
    assert await page.locator(".script-result .badge").inner_text() == "completed"


async def test_a_built_in_script_runs_from_its_form(bridge_url: str, open_page: OpenPage, page: Any,
                                                    tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for name in ("Rock", "Crate"):
        (incoming / f"{name}.obj").write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    # The mock editor's content lives as long as the test session: a folder of this test's own.
    folder = f"/Game/{tmp_path.name}"
    await open_page(bridge_url, "#/scripts/import_folder")
    await page.get_by_label("source_dir").fill(str(incoming))
    await page.get_by_label("destination").fill(folder)
    await page.get_by_role("button", name="Run", exact=True).click()
    await page.locator(".script-result .badge", has_text="completed").wait_for()
    # A list of paths is not a list of records: it is shown as JSON.
    shown = await page.locator(".script-result pre.script-json").inner_text()
    assert sorted(json.loads(shown)) == [f"{folder}/Crate.Crate", f"{folder}/Rock.Rock"]
    assert await page.locator(".script-result .script-table").count() == 0

    await open_page(bridge_url, "#/scripts/list_assets")
    await page.get_by_label("directory").fill(folder)
    await page.get_by_role("button", name="Add item").click()
    await page.get_by_label("class_names item 1", exact=True).fill("StaticMesh")
    await page.get_by_role("button", name="Run", exact=True).click()
    table = page.locator(".script-result table.script-table")
    await table.wait_for()
    assert await table.locator("thead th").all_text_contents() == ["name", "path", "folder", "class"]
    assert await table.locator("tbody tr td:first-child").all_inner_texts() == ["Crate", "Rock"]

    # A map parameter: one entry per row, merged over the script's own rules.
    await open_page(bridge_url, "#/scripts/batch_rename")
    await page.get_by_label("directory").fill(folder)
    await page.get_by_label("dry_run").check()
    await page.get_by_role("button", name="Add entry").click()
    await page.get_by_label("prefixes entry 1 name", exact=True).fill("StaticMesh")
    await page.get_by_label("prefixes entry 1 value", exact=True).fill("MESH_")
    await page.get_by_role("button", name="Run", exact=True).click()
    await table.wait_for()
    assert await table.locator("tbody tr td:nth-child(2)").all_inner_texts() == [
        f"{folder}/MESH_Crate", f"{folder}/MESH_Rock"]

    # A script that raises: its error and traceback, not a table.
    await open_page(bridge_url, "#/scripts/list_assets")
    await page.get_by_label("directory").fill("/Game/Nowhere")
    await page.get_by_role("button", name="Run", exact=True).click()
    failure = page.locator(".script-result .notice.error")
    await failure.wait_for()
    assert "content folder /Game/Nowhere does not exist" in await failure.inner_text()
    assert await page.locator(".script-result .badge").inner_text() == "failed"
    assert "Traceback" in await page.locator(".script-traceback").inner_text()


async def test_an_unknown_script_is_said_so(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(bridge_url, "#/scripts/no_such_script")
    assert await page.locator(".script-detail .notice.error").inner_text() == "There is no script named no_such_script."


async def test_numbers_carry_their_bounds(start_bridge: Any, tmp_path: Path, open_page: OpenPage, page: Any) -> None:
    url = start_bridge(scripts={"dirs": [str(script_dir(tmp_path, "pick", BOUNDED_SCRIPT))]}).url
    await open_page(url, "#/scripts/pick")
    level = page.get_by_label("level")
    assert (await level.get_attribute("min"), await level.get_attribute("max")) == ("1", "10")


BROKEN_SCRIPT = "def broken(:\n    pass\n"
SLOW_SCRIPT = '''"""Sleeps in one native call."""
import time


def slow_native(seconds: float = 2.0) -> str:
    """Sleep without a bytecode boundary the interrupt could land on.

    Args:
        seconds: how long to sleep
    """
    time.sleep(seconds)
    return "woke"
'''


async def test_a_script_that_fails_to_load_says_why(start_bridge: Any, tmp_path: Path, open_page: OpenPage,
                                                     page: Any) -> None:
    url = start_bridge(scripts={"dirs": [str(script_dir(tmp_path, "broken", BROKEN_SCRIPT))]}).url
    await open_page(url, "#/scripts/broken")
    link = page.locator(".script-list a.script-link", has_text="broken")
    assert (await link.locator(".script-description").inner_text()).startswith("Cannot load: SyntaxError")
    notice = page.locator(".script-detail .notice.error")
    assert "(line 1)" in await notice.inner_text()
    assert await page.locator(".script-form").count() == 0


async def test_json_that_does_not_parse_is_shown_on_its_field(bridge_url: str, open_page: OpenPage,
                                                              page: Any) -> None:
    await open_page(bridge_url, "#/scripts/set_actor_properties")
    await page.locator("#script-param-properties").fill("{bad json")
    await page.get_by_role("button", name="Run", exact=True).click()
    error = (await field(page, "properties")).locator(".field-error")
    assert (await error.inner_text()).startswith("not valid JSON")
    assert await page.locator("#script-param-properties").get_attribute("aria-invalid") == "true"
    assert await page.locator(".script-result").inner_text() == ""  # nothing was sent


async def test_a_run_past_its_timeout_is_followed_to_its_end(start_bridge: Any, tmp_path: Path,
                                                              open_page: OpenPage, page: Any) -> None:
    folder = script_dir(tmp_path, "slow_native", SLOW_SCRIPT)
    url = start_bridge(default_timeout=0.5, scripts={"dirs": [str(folder)]}).url
    await open_page(url, "#/scripts/slow_native")
    await page.get_by_role("button", name="Run", exact=True).click()
    # The 202: still inside the native call when its timeout passed; the page polls the job.
    await page.locator(".script-running", has_text="ran past its 0.5 s timeout").wait_for()
    badge = page.locator(".script-result .badge")
    await badge.wait_for()
    assert await badge.inner_text() == "failed"
    assert "job exceeded its 0.5 s timeout" in await page.locator(".script-result .notice.error").inner_text()
