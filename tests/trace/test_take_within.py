"""take_within(): a cancel that meets an item just taken still cancels, and the item stays in the queue."""
from __future__ import annotations

import asyncio

import pytest

from bridge.trace.lending import take_within


async def test_an_item_comes_back() -> None:
    idle: asyncio.Queue[str] = asyncio.Queue()
    idle.put_nowait("worker")
    assert await take_within(idle, 1.0) == "worker"
    assert idle.empty()


async def test_nothing_within_the_timeout_is_none_and_takes_nothing_later() -> None:
    idle: asyncio.Queue[str] = asyncio.Queue()
    assert await take_within(idle, 0.01) is None
    idle.put_nowait("late")
    await asyncio.sleep(0)
    assert idle.get_nowait() == "late"  # the abandoned get() did not take it


async def test_a_cancel_as_the_item_arrives_wins_and_returns_the_item() -> None:
    """asyncio.wait_for on 3.9-3.11 returned the item here and swallowed the cancel."""
    idle: asyncio.Queue[str] = asyncio.Queue()
    taking = asyncio.ensure_future(take_within(idle, 5.0))
    await asyncio.sleep(0)  # waiting on the get()
    idle.put_nowait("worker")  # wakes the get() ...
    await asyncio.sleep(0)  # ... which takes the item, and completes
    taking.cancel()  # while take_within has not resumed yet
    with pytest.raises(asyncio.CancelledError):
        await taking
    assert idle.get_nowait() == "worker"


async def test_a_cancel_while_waiting_takes_nothing() -> None:
    idle: asyncio.Queue[str] = asyncio.Queue()
    taking = asyncio.ensure_future(take_within(idle, 5.0))
    await asyncio.sleep(0)
    taking.cancel()
    with pytest.raises(asyncio.CancelledError):
        await taking
    idle.put_nowait("worker")
    await asyncio.sleep(0)
    assert idle.get_nowait() == "worker"
