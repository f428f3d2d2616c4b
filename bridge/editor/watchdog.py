"""Watchdog: a daemon thread that calls one check at a fixed period until closed."""
from __future__ import annotations

import logging
import threading
from typing import Callable, Optional

log = logging.getLogger("bridge")


class Watchdog:
    """Runs `check` every `period` seconds on its own thread; `check` must only look and send, never block."""

    def __init__(self, check: Callable[[], None], period: float, name: str = "ue-bridge-watchdog") -> None:
        if period <= 0:
            raise ValueError(f"period must be positive, got {period}")
        self.check = check
        self.period = period
        self.name = name
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Start the thread; a second start while it runs does nothing."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            try:
                self.check()
            except Exception:  # one bad check must not end timeouts for good
                log.exception("the job watchdog's check failed")
