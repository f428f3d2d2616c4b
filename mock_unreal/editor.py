"""The mock editor's main loop: ticks Slate callbacks at a fixed rate, like a running editor."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Deque, Optional

from .unreal import _ticks


class EditorLoop:
    """Runs frames on the calling thread (the game thread) until `stop()`."""

    def __init__(self, tick_rate: float = 60.0, gap_history: int = 10_000) -> None:
        if not 1 <= tick_rate <= 10_000:
            raise ValueError(f"tick_rate must be between 1 and 10000 Hz, got {tick_rate}")
        self.tick_rate = tick_rate
        self.frame_count = 0
        self.tick_gaps: Deque[float] = deque(maxlen=gap_history)
        self._stop = threading.Event()
        self.thread_id: Optional[int] = None

    def run(self) -> None:
        """Tick until stopped; returns on the thread that called it."""
        self.thread_id = threading.get_ident()
        period = 1.0 / self.tick_rate
        last = time.perf_counter()
        next_frame = last + period
        while not self._stop.is_set():
            delay = next_frame - time.perf_counter()
            if delay > 0 and self._stop.wait(delay):
                break
            now = time.perf_counter()
            delta = now - last
            last = now
            self.tick_gaps.append(delta)
            self.tick(delta)
            # A slow frame is not followed by a burst of catch-up frames, as in the editor.
            next_frame = max(next_frame + period, time.perf_counter())

    def tick(self, delta_time: float) -> None:
        """One frame: pre-tick callbacks, then post-tick callbacks."""
        self.frame_count += 1
        pre, post = _ticks.callbacks()
        for fn in pre + post:
            try:
                fn(delta_time)
            except Exception as exc:  # the editor logs a failing callback and keeps it registered
                from .unreal import log_error

                log_error(f"tick callback {fn!r} raised {type(exc).__name__}: {exc}")

    def stop(self) -> None:
        self._stop.set()
