"""A game thread for the runner without an editor: a thread that drains a TickQueue until closed."""
from __future__ import annotations

import threading
from typing import Callable, Iterator, List

import pytest

from bridge.editor.capture import OutputRouter
from bridge.editor.runner import JobRunner
from bridge.editor.tickqueue import TickQueue
from bridge.runs import MemoryStore, RunHistory


class GameThread:
    """Drains `queue` every few milliseconds on its own thread, as the editor's post-tick callback does."""

    def __init__(self, queue: TickQueue) -> None:
        self.queue = queue
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="test-game-thread", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.002):
            self.queue.drain()

    def close(self) -> None:
        self._stop.set()
        self.thread.join(10)


RunnerFactory = Callable[..., JobRunner]


@pytest.fixture
def make_runner() -> Iterator[RunnerFactory]:
    """A JobRunner on a memory history with a ticking game thread; its watchdog runs unless told not to."""
    made: List[JobRunner] = []
    games: List[GameThread] = []

    def make(
        *,
        watchdog: bool = True,
        tick: bool = True,
        queue_limit: int = 1000,
        stall_seconds: float = 2.0,
        interrupt_grace_seconds: float = 1.0,
    ) -> JobRunner:
        runner = JobRunner(
            TickQueue(limit=queue_limit), RunHistory(MemoryStore()), router=OutputRouter(),
            stall_seconds=stall_seconds, interrupt_grace_seconds=interrupt_grace_seconds,
        )
        if watchdog:
            runner.start()
        if tick:
            games.append(GameThread(runner.tickqueue))
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.cancel_all()
        runner.close()
    for game in games:
        game.close()
    for runner in made:
        runner.router.uninstall()
