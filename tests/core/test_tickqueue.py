"""TickQueue without HTTP: budgets, limits, order."""
from __future__ import annotations

import time
from typing import List

import pytest

from bridge.editor.tickqueue import QueueFull, TickQueue


def test_many_trivial_jobs_finish_in_a_handful_of_frames() -> None:
    queue = TickQueue(budget_ms=8.0, limit=1000)
    done: List[int] = []
    for i in range(500):
        queue.submit(lambda i=i: done.append(i))
    frames = 0
    while len(queue):
        queue.drain(1 / 60)
        frames += 1
    assert done == list(range(500))  # first in, first out
    assert frames <= 5


def test_a_slow_job_blocks_only_its_own_frame() -> None:
    ran: List[List[str]] = []
    queue = TickQueue(budget_ms=5.0, observe_drain=lambda seconds, count: ran.append([str(count)]))
    queue.submit(lambda: time.sleep(0.05))
    for _ in range(3):
        queue.submit(lambda: None)
    # The budget starts after the first job, so the three quick ones share its frame...
    assert queue.drain() == 4
    queue.submit(lambda: time.sleep(0.02))
    queue.submit(lambda: time.sleep(0.02))
    queue.submit(lambda: None)
    # ...but once the budget is spent, the rest wait for the next frame.
    assert queue.drain() == 2
    assert queue.drain() == 1


def test_the_budget_counts_from_the_end_of_the_first_job() -> None:
    queue = TickQueue(budget_ms=1.0)
    for _ in range(2):
        queue.submit(lambda: time.sleep(0.005))
    queue.submit(lambda: None)
    # The first job always runs; the second starts inside the window after it; then time is up.
    assert queue.drain() == 2
    assert queue.drain() == 1


def test_limit() -> None:
    queue = TickQueue(limit=2)
    queue.submit(lambda: None)
    queue.submit(lambda: None)
    with pytest.raises(QueueFull, match="already holds 2 items"):
        queue.submit(lambda: None)


def test_tick_bookkeeping() -> None:
    queue = TickQueue()
    assert queue.seconds_since_tick() is None
    assert queue.drain() == 0
    since = queue.seconds_since_tick()
    assert since is not None and since >= 0
    assert queue.tick_count == 1


@pytest.mark.parametrize("kwargs, message", [({"budget_ms": 0}, "budget_ms"), ({"limit": 0}, "limit")])
def test_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TickQueue(**kwargs)
