"""TickQueue: hands work from the server thread to the game thread, drained once per frame."""
from __future__ import annotations

import collections
import threading
import time
from typing import Callable, Deque, Optional

from .errors import QueueFull

Work = Callable[[], None]


class TickQueue:
    """A bounded FIFO drained by the editor's tick callback within a per-frame time budget.

    The first item of a frame always runs; more run until `budget_ms` of wall time has passed
    after it, so hundreds of trivial jobs finish in a few frames while one slow job never
    delays the frame by more than itself. Once work has run in a frame, the drain also waits up
    to `linger_ms` (within the budget) for the next item, so a client sending requests back to
    back is served in the same frame instead of one request per frame.
    """

    def __init__(
        self,
        budget_ms: float = 8.0,
        limit: int = 1000,
        observe_drain: Optional[Callable[[float, int], None]] = None,
        linger_ms: float = 0.0,
    ) -> None:
        if budget_ms <= 0:
            raise ValueError(f"budget_ms must be positive, got {budget_ms}")
        if not 0 <= linger_ms <= budget_ms:
            raise ValueError(f"linger_ms must be between 0 and budget_ms ({budget_ms}), got {linger_ms}")
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        self.budget = budget_ms / 1000.0
        self.linger = linger_ms / 1000.0
        self.limit = limit
        self.tick_count = 0
        self.last_tick: Optional[float] = None  # time.monotonic() of the latest drain
        self._items: Deque[Work] = collections.deque()
        self._ready = threading.Condition(threading.Lock())
        self._observe_drain = observe_drain

    def submit(self, work: Work) -> None:
        """Any thread: queue `work` for the game thread. Raises QueueFull at the limit."""
        with self._ready:
            if len(self._items) >= self.limit:
                raise QueueFull(f"the tick queue already holds {self.limit} items")
            self._items.append(work)
            self._ready.notify()

    def drain(self, delta_time: float = 0.0) -> int:
        """Game thread, once per frame: run queued work within the budget. Returns how many ran."""
        self.tick_count += 1
        self.last_tick = time.monotonic()
        if not self._items:
            return 0
        start = time.perf_counter()
        deadline: Optional[float] = None
        ran = 0
        while deadline is None or time.perf_counter() < deadline:
            with self._ready:
                if not self._items and deadline is not None and self.linger > 0:
                    # Lingering releases the GIL, so the server thread can hand over the next job.
                    self._ready.wait(min(self.linger, deadline - time.perf_counter()))
                if not self._items:
                    break
                work = self._items.popleft()
            work()
            ran += 1
            if deadline is None:
                deadline = time.perf_counter() + self.budget
        if self._observe_drain is not None:
            self._observe_drain(time.perf_counter() - start, ran)
        return ran

    def seconds_since_tick(self) -> Optional[float]:
        """None before the first tick."""
        last = self.last_tick
        return None if last is None else time.monotonic() - last

    def __len__(self) -> int:
        return len(self._items)


__all__ = ["QueueFull", "TickQueue", "Work"]
