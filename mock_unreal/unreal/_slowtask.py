"""ScopedSlowTask: progress is recorded for tests, and cancellation can be requested from them."""

from __future__ import annotations

from types import TracebackType
from typing import Any, List, Optional, Tuple, Type

from ._state import PROJECT


class ScopedSlowTask:
    """A unit of slow work with a progress dialog; `should_cancel()` answers what a test asked for."""

    # Recorded state lives in underscore attributes: the editor's object has none of them.

    def __init__(self, work: float, desc: Any = "", enabled: bool = True) -> None:
        if work < 0:
            raise ValueError(f"work must be at least 0, got {work}")
        self._total_work = float(work)
        self._description = str(desc)
        self._enabled = enabled
        self._completed_work = 0.0
        self._frames: List[Tuple[float, str]] = []  # (work, description) per entered frame
        self._dialog_shown = False
        self._can_cancel = False
        self._cancel_requested = False
        self._finished = False
        self._current_frame = 0.0
        PROJECT.slow_tasks.append(self)

    def __enter__(self) -> ScopedSlowTask:
        return self

    def __exit__(  # type: ignore[exit-return]
        self,
        type: Optional[Type[BaseException]],
        value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> bool:
        self._completed_work += self._current_frame
        self._current_frame = 0.0
        self._finished = True
        return False

    def make_dialog(self, can_cancel: bool = False, allow_in_pie: bool = False) -> None:
        """Show the progress dialog (recorded, never drawn)."""
        self._dialog_shown = True
        self._can_cancel = can_cancel

    def make_dialog_delayed(self, delay: float, can_cancel: bool = False, allow_in_pie: bool = False) -> None:
        """Show the dialog if the task lasts longer than `delay` seconds (recorded as shown)."""
        self.make_dialog(can_cancel, allow_in_pie)

    def enter_progress_frame(self, work: float = 1.0, desc: Any = "") -> None:
        """Complete the previous frame and start one of `work` units."""
        self._completed_work += self._current_frame
        self._current_frame = float(work)
        self._frames.append((float(work), str(desc)))
        limit = PROJECT.cancel_slow_tasks_after
        if limit is not None and len(self._frames) >= limit:
            self._cancel_requested = True

    def should_cancel(self) -> bool:
        """True once cancellation was requested (by a test) and the dialog offers Cancel."""
        return self._cancel_requested and self._can_cancel

    def _progress(self) -> float:
        """Completed fraction, from 0 to 1."""
        return min(self._completed_work / self._total_work, 1.0) if self._total_work else 1.0
