"""Fixtures of the history's storage tests: a fake clock, and every store the history can use."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, List

import pytest

from bridge.runs import MemoryStore, RunHistory, RunStore
from bridge.runs.sqlite import SqliteStore


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


StoreFactory = Callable[[], RunStore]


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["memory", "sqlite"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """A factory of stores of one kind; every store it made is closed after the test."""
    made: List[RunStore] = []

    def make() -> RunStore:
        store: RunStore = MemoryStore() if request.param == "memory" else SqliteStore(
            tmp_path / f"history-{len(made)}.sqlite3"
        )
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


@pytest.fixture
def store(make_store: StoreFactory) -> RunStore:
    return make_store()


@pytest.fixture
def history(store: RunStore, fake_clock: FakeClock) -> RunHistory:
    return RunHistory(store, clock=fake_clock)
