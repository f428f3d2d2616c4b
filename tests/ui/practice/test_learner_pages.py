"""The learner pages in chromium: sign up and in, problems, submit, trace, profile and PDF, leaderboard."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bridge.practice.catalogue import load_problems

from .conftest import Practice, sign_up_page

pytestmark = pytest.mark.slow

WRONG = "def twoSum(nums, target):\n    first = nums[0]\n    return [0, 0]\n"
# the catalogue's own reference solution: what the judge accepts
RIGHT = next(p for p in load_problems() if p.title == "Two Sum").solutions["python"]


async def ready(page: Any, name: str) -> None:
    await page.wait_for_selector(f'main#main[data-ready="{name}"]', state="attached")


async def test_sign_up_out_and_in_again(page: Any, practice: Practice) -> None:
    await page.goto(f"{practice.url}/#/profile")
    await ready(page, "signin")  # no session: sign-in first, then back to the page asked for
    await page.get_by_role("link", name="Sign up").click()
    await ready(page, "signup")
    await page.locator("#signup-email").fill("ada@example.com")
    await page.locator("#signup-username").fill("ada")
    await page.locator("#signup-password").fill("password123")
    await page.get_by_role("button", name="Sign up", exact=True).click()
    await ready(page, "problems")
    assert await page.locator("#who").inner_text() == "ada"

    await page.get_by_role("button", name="Sign out").click()
    await ready(page, "signin")
    assert await page.locator("#sign-out").is_hidden()
    await page.goto(f"{practice.url}/#/signup")
    await ready(page, "signup")
    await page.locator("#signup-email").fill("ADA@example.com")
    await page.locator("#signup-username").fill("ada2")
    await page.locator("#signup-password").fill("password123")
    await page.get_by_role("button", name="Sign up", exact=True).click()
    await page.locator("#signup-status.is-error").wait_for()
    assert await page.locator("#signup-status").inner_text() == "Email already registered"

    await page.goto(f"{practice.url}/#/signin?next=%23%2Fprofile")
    await ready(page, "signin")
    await page.locator("#signin-email").fill("ada@example.com")
    await page.locator("#signin-password").fill("not-the-password")
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await page.locator("#signin-status.is-error").wait_for()
    assert await page.locator("#signin-status").inner_text() == "Invalid email or password"
    await page.locator("#signin-password").fill("password123")
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await ready(page, "profile")
    assert await page.locator("#profile-username").inner_text() == "ada"
    assert await page.locator("#who").inner_text() == "ada"
    token = await page.evaluate("sessionStorage.getItem('practice-token')")
    async with aiohttp.ClientSession() as http, http.post(f"{practice.url}/api/auth/logout",
                                                          headers={"Authorization": f"Bearer {token}"}) as response:
        assert response.status == 200  # revoked behind the page's back, as another tab's sign-out would
    await page.get_by_role("link", name="Problems").click()
    await ready(page, "signin")  # the 401 ended the tab's session
    assert await page.evaluate("sessionStorage.getItem('practice-token')") is None


async def test_filter_solve_trace_and_earn_xp(page: Any, practice: Practice) -> None:
    await sign_up_page(page, practice.url, "grace")
    await page.locator("#filter-difficulty").select_option("hard")
    await page.get_by_role("button", name="Filter").click()
    await page.wait_for_function("location.hash.includes('difficulty=hard')")
    await ready(page, "problems")
    difficulties = await page.locator("#problem-list tbody td:nth-child(2)").all_inner_texts()
    assert difficulties and set(difficulties) == {"hard"}
    await page.locator("#filter-difficulty").select_option("")
    await page.locator("#filter-tags").fill("arrays, hash-table")
    await page.get_by_role("button", name="Filter").click()
    await page.wait_for_function("location.hash.includes('tags=arrays%2Chash-table')")
    await ready(page, "problems")
    titles = await page.locator("#problem-list tbody td:first-child").all_inner_texts()
    assert "Two Sum" in titles and "Trapping Rain Water" not in titles

    await page.get_by_role("link", name="Two Sum").click()
    await ready(page, "problem")
    assert await page.locator("#problem-title").inner_text() == "Two Sum"
    editor = page.locator("#problem-code")
    assert (await editor.input_value()).startswith("def twoSum(nums, target):")
    await editor.fill(WRONG)
    await page.locator("#problem-language").select_option("java")
    assert "class Solution" in await editor.input_value()
    assert "language=java" in await page.evaluate("location.hash")
    await page.locator("#problem-language").select_option("python")
    assert await editor.input_value() == WRONG  # each language keeps its own draft

    await page.get_by_role("button", name="Submit").click()
    await page.locator('#submit-status[data-verdict="wrong_answer"]').wait_for()
    assert await page.locator("#submit-status").inner_text() == "Wrong answer: 0/10 tests passed"
    first = page.locator('.practice-test[data-test="1"]')
    assert "Test 1: failed" in await first.inner_text() and "returned [0,0]" in await first.inner_text()
    assert "hidden test" in await page.locator('.practice-test[data-test="3"]').inner_text()
    assert await page.locator('.practice-test[data-test="3"] button').count() == 0  # hidden: never traced

    await first.get_by_role("button", name="Trace this case").click()
    status = page.locator("#trace-case-status.is-ok")
    await status.wait_for(timeout=30_000)
    assert re.fullmatch(r"Traced test 1: \d+ steps, completed\.", await status.inner_text())
    position = page.locator("#case-trace .trace-position")
    assert (await position.inner_text()).startswith("Step 1 of ")
    await page.get_by_role("button", name="Next step").click()
    assert (await position.inner_text()).startswith("Step 2 of ")
    await page.get_by_role("button", name="Last step").click()
    await page.wait_for_function(
        "() => { const m = document.querySelector('#case-trace .trace-position').textContent"
        ".match(/Step (\\d+) of (\\d+)/); return m && m[1] === m[2]; }")
    frames = await page.locator("#case-trace .trace-frames").inner_text()
    assert "returned" in frames  # the last step shows the value the learner's function gave back
    lines = await page.locator("#case-trace .trace-line code").all_inner_texts()
    assert lines[:3] == WRONG.splitlines()

    await editor.fill(RIGHT)
    await page.get_by_role("button", name="Submit").click()
    await page.locator('#submit-status[data-verdict="accepted"]').wait_for()
    assert await page.locator("#submit-status").inner_text() == "Accepted: 10/10 tests passed +100 XP"
    await page.get_by_role("button", name="Submit").click()
    await page.locator("#submit-status").get_by_text("Accepted: 10/10 tests passed", exact=True).wait_for()

    await page.get_by_role("link", name="Profile").click()
    await ready(page, "profile")
    assert await page.locator("#profile-xp strong").inner_text() == "100"
    assert await page.locator("#profile-level strong").inner_text() == "1"
    assert await page.locator("#solved-counts").inner_text() == "Solved: 1 (easy 1, medium 0, hard 0)"
    history = await page.locator("#submission-history tbody tr").all_inner_texts()
    assert len(history) == 3 and "accepted" in history[0] and "wrong answer" in history[2]


async def test_profile_edit_projects_and_pdf(page: Any, practice: Practice, tmp_path: Path) -> None:
    await sign_up_page(page, practice.url, "linus")
    await page.get_by_role("link", name="Profile").click()
    await ready(page, "profile")
    await page.locator("#profile-edit-username").fill("linus_t")
    await page.locator("#profile-edit-interests").fill("Kernels, Git")
    await page.locator("#profile-edit-avatar").fill("ftp://nope")
    await page.get_by_role("button", name="Save profile").click()
    await page.locator("#profile-edit-status.is-error").wait_for()
    assert (await page.locator("#profile-edit-status").inner_text()).startswith("avatar_url:")
    await page.locator("#profile-edit-avatar").fill("https://example.com/me.png")
    await page.get_by_role("button", name="Save profile").click()
    await page.locator("#profile-edit-status.is-ok").wait_for()
    assert await page.locator("#profile-username").inner_text() == "linus_t"
    assert await page.locator("#who").inner_text() == "linus_t"
    assert "Interests: Kernels, Git" in await page.locator("#profile-summary").inner_text()

    await page.locator("#project-name").fill("Tiny Shell")
    await page.locator("#project-description").fill("A shell in 500 lines")
    await page.locator("#project-skills").fill("C, POSIX")
    await page.get_by_role("button", name="Add project").click()
    await page.locator("#project-list li").get_by_text("Tiny Shell").wait_for()
    assert "Skills: C, POSIX" in await page.locator("#portfolio").inner_text()

    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Export PDF").click()
    download = await waiting.value
    assert download.suggested_filename == "portfolio-linus_t.pdf"
    saved = tmp_path / "portfolio.pdf"
    await download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(saved), "-"], check=True, capture_output=True, text=True).stdout
        assert "linus_t" in text and "Tiny Shell" in text

    await page.get_by_role("button", name="Delete Tiny Shell").click()
    await page.locator("#portfolio").get_by_text("No projects yet.").wait_for()


async def test_leaderboard_shows_what_the_api_ranks(page: Any, practice: Practice) -> None:
    await sign_up_page(page, practice.url, "barbara")
    token = await page.evaluate("sessionStorage.getItem('practice-token')")
    async with aiohttp.ClientSession() as http, http.get(f"{practice.url}/api/leaderboard",
                        headers={"Authorization": f"Bearer {token}"}) as response:
        status, reply = response.status, await response.json()
    await page.get_by_role("link", name="Leaderboard").click()
    await ready(page, "leaderboard")
    assert status == 200, reply
    if not reply["leaderboard"]:
        await page.get_by_text("Nobody has finished a duel yet.").wait_for()
        return
    names = await page.locator("#leaderboard tbody tr td:nth-child(2)").all_inner_texts()
    assert names == [row["username"] for row in reply["leaderboard"]]
