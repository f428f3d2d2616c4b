"""A whole duel between two learners, each in a browser context of their own, over the app's real /ws."""
from __future__ import annotations

from typing import Any, Tuple

import pytest

from .conftest import Practice, sign_up_page

pytestmark = pytest.mark.slow

WRONG = "def twoSum(nums, target):\n    return [0, 0]\n"


async def join(page: Any) -> None:
    await page.get_by_role("link", name="Duel").click()
    await page.wait_for_selector('main#main[data-ready="duel"]', state="attached")
    await page.locator('#duel-connection[data-state="open"]').wait_for()
    await page.locator("#duel-difficulty").select_option("easy")
    await page.locator("#duel-language").select_option("python")
    await page.get_by_role("button", name="Find an opponent").click()


async def matched(url: str, first: Any, second: Any, names: Tuple[str, str]) -> str:
    """Both learners signed up; `first` queues, `second` joins and both see the match. The problem's title."""
    for page, name in zip((first, second), names):
        await sign_up_page(page, url, name)
    await join(first)
    await first.locator('#duel-status[data-phase="queued"]').wait_for()
    await join(second)
    for me, them in ((first, names[1]), (second, names[0])):
        await me.locator('#duel-status[data-phase="matched"]').wait_for(timeout=20_000)
        assert them in await me.locator("#duel-opponent").inner_text()
    return str(await first.locator("#duel-problem-title").inner_text())


async def test_two_learners_duel_to_the_end(page: Any, other_page: Any, practice: Practice) -> None:
    alice, bob = page, other_page
    title = await matched(practice.url, alice, bob, ("duel_alice", "duel_bob"))
    assert title == await bob.locator("#duel-problem-title").inner_text()
    assert (await alice.locator("#duel-clock").inner_text()).startswith("Time left: ")

    await alice.locator("#duel-chat-input").fill("Good luck!")
    await alice.get_by_role("button", name="Send").click()
    await bob.locator("#duel-chat-log").get_by_text("Good luck!").wait_for()
    assert "duel_alice:" in await bob.locator("#duel-chat-log").inner_text()
    await bob.locator("#duel-chat-input").fill("Thanks! You too!")
    await bob.get_by_role("button", name="Send").click()
    await alice.locator("#duel-chat-log").get_by_text("Thanks! You too!").wait_for()

    await alice.wait_for_function("document.querySelector('#duel-code').value !== ''")  # the starter code
    if title == "Two Sum":  # the problem is matchmaking's pick: its starter code fails, as does this
        await alice.locator("#duel-code").fill(WRONG)
    await alice.get_by_role("button", name="Submit").click()
    await alice.locator("#duel-my-result[data-verdict]").wait_for(timeout=30_000)
    assert await alice.locator("#duel-my-result").get_attribute("data-verdict") != "accepted"
    await bob.locator("#duel-opponent-status[data-passed]").wait_for(timeout=30_000)
    assert "duel_alice:" in await bob.locator("#duel-opponent-status").inner_text()

    await bob.get_by_role("button", name="Forfeit").click()
    await bob.locator('#duel-result[data-outcome="lost"]').wait_for(timeout=30_000)
    await alice.locator('#duel-result[data-outcome="won"]').wait_for(timeout=30_000)
    assert await alice.locator("#duel-winner").inner_text() == "You won!"
    assert await bob.locator("#duel-winner").inner_text() == "duel_alice won."

    await alice.get_by_role("link", name="See the leaderboard").click()
    await alice.wait_for_selector('main#main[data-ready="leaderboard"]', state="attached")
    rows = await alice.locator("#leaderboard tbody tr").all_inner_texts()
    assert any("duel_alice" in row for row in rows)
    await alice.get_by_role("link", name="Profile").click()
    await alice.wait_for_selector('main#main[data-ready="profile"]', state="attached")
    assert await alice.locator("#stat-wins strong").inner_text() == "1"


async def test_a_page_opened_again_mid_duel_restores_it(page: Any, other_page: Any, practice: Practice) -> None:
    carol, dave = page, other_page
    title = await matched(practice.url, carol, dave, ("duel_carol", "duel_dave"))

    await carol.reload()  # the socket drops; the new page's socket is put back in the duel
    await carol.wait_for_selector('main#main[data-ready="duel"]', state="attached")
    await carol.locator('#duel-status[data-phase="matched"]').wait_for(timeout=20_000)
    assert await carol.locator("#duel-problem-title").inner_text() == title
    assert "duel_dave" in await carol.locator("#duel-opponent").inner_text()
    await dave.locator("#duel-opponent-status[data-passed]").wait_for(timeout=20_000)  # disconnected, then back
    await carol.get_by_role("button", name="Forfeit").click()
    await dave.locator('#duel-result[data-outcome="won"]').wait_for(timeout=30_000)
    await carol.locator('#duel-result[data-outcome="lost"]').wait_for(timeout=30_000)
