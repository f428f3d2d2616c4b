"""TraceRunner: run a program traced or untraced in a pooled worker, without any HTTP."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Union

from .errors import InvalidRunRequest
from .pool import WorkerPool
from .settings import TraceSettings
from .worker import InputCallback, Outcome, StepCallback


class TraceRunner:
    """The trace backend's core: owns the worker pool and bounds concurrent runs."""

    def __init__(self, settings: Optional[TraceSettings] = None):
        self.settings = settings or TraceSettings()
        self.pool = WorkerPool(self.settings)
        self._slots = asyncio.Semaphore(self.settings.max_concurrent_runs)

    async def start(self) -> None:
        """Start the pre-started workers (in the background)."""
        await self.pool.start()

    async def close(self) -> None:
        """Kill every worker."""
        await self.pool.close()

    def check(self, code: str, max_steps: Optional[int]) -> int:
        """Validate a request against the settings; returns the step limit to use."""
        s = self.settings
        if len(code) > s.max_code_chars:
            raise InvalidRunRequest(f"code is {len(code)} characters long; the limit is {s.max_code_chars}")
        steps = s.default_max_steps if max_steps is None else max_steps
        if not 1 <= steps <= s.max_steps_limit:
            raise InvalidRunRequest(f"max_steps must be between 1 and {s.max_steps_limit}, got {steps}")
        return steps

    def job(self, code: str, user_input: Union[str, List[str]], trace: bool, max_steps: int,
            interactive: bool) -> Dict[str, Any]:
        """The message a worker receives."""
        s = self.settings
        return {
            "code": code, "user_input": user_input, "trace": trace, "max_steps": max_steps,
            "interactive": interactive, "max_stdout": s.max_stdout_chars,
            "max_trace_bytes": s.max_trace_bytes,
            "limits": {"max_items": s.max_items, "max_depth": s.max_depth, "max_objects": s.max_objects,
                       "max_str": s.max_str},
        }

    async def run(self, code: str, user_input: Union[str, List[str]] = "", *, trace: bool = True,
                  max_steps: Optional[int] = None, on_step: Optional[StepCallback] = None,
                  ask: Optional[InputCallback] = None) -> Outcome:
        """Run one program; steps go to `on_step` as they are produced; `ask` answers input() interactively.

        Cancelling the call kills the worker.
        """
        steps = self.check(code, max_steps)
        job = self.job(code, user_input, trace, steps, interactive=ask is not None)
        async with self._slots, self.pool.worker() as worker:
            return await worker.run(job, on_step, ask)
