"""RunControl: stop a run of any kind. Each backend registers how it cancels its own runs."""
from __future__ import annotations

from typing import Awaitable, Callable, Dict

from .model import Run, RunKind

Canceller = Callable[[str], Awaitable[bool]]


class CannotCancel(Exception):
    """No backend of this kind is running here to stop the run (a run left by a previous process)."""


class RunControl:
    def __init__(self) -> None:
        self._cancellers: Dict[RunKind, Canceller] = {}

    def register(self, kind: RunKind, cancel: Canceller) -> None:
        self._cancellers[kind] = cancel

    async def cancel(self, run: Run) -> bool:
        """Ask the run's backend to stop it; True once it has stopped, False while it is still stopping."""
        cancel = self._cancellers.get(run.kind)
        if cancel is None:
            raise CannotCancel(f"no {run.kind.value} backend here can cancel run {run.id}")
        return await cancel(run.id)
