"""TraceRunner: run a program traced or untraced in a pooled, boxed worker, without any HTTP."""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Dict, List, Optional, Union

from ..containment import BoxHost, ContainmentInfo, describe, prepare
from .errors import InvalidRunRequest, WorkerUnavailable
from .launch import unreachable, worker_layout
from .pool import WorkerPool
from .settings import TraceSettings
from .worker import InputCallback, Outcome, StepCallback
from .zygote_pool import ZygotePool


class TraceRunner:
    """The trace backend's core: finds the box, owns the worker pool and bounds concurrent runs.

    Every worker gets the containment the sandbox's boxes get; where this host cannot give it
    (not root, no cgroup, neither bubblewrap nor Landlock), no program runs and `reason` says why.
    """

    def __init__(self, settings: Optional[TraceSettings] = None):
        self.settings = settings or TraceSettings()
        self.host: Optional[BoxHost] = None
        self.reason: Optional[str] = "the trace backend has not started"
        self.pool: Optional[Union[WorkerPool, ZygotePool]] = None
        self._cgroup_mode = "none"
        self._slots = asyncio.Semaphore(self.settings.max_concurrent_runs)

    async def start(self) -> None:
        """Find the box and start the pre-started workers (in the background). Never raises."""
        s = self.settings
        found = await asyncio.to_thread(prepare, "trace", s.box_uid, bwrap_path=s.bwrap_path,
                                        cgroup_mode=s.cgroup_mode, use_bubblewrap=s.use_bubblewrap,
                                        allow_landlock=True)
        self._cgroup_mode = found.cgroups.mode if found.cgroups is not None else "none"
        self.reason = None if found.host is not None else f"traced code cannot be contained here: {found.reason}"
        if found.host is not None and found.host.kind == "landlock":
            # Without bwrap the box sees the host's own paths: the interpreter must be reachable as the box uid.
            interpreter = s.python or sys.executable
            blocked = unreachable([interpreter, *worker_layout(s, 0).ro_binds_hosts()], s.box_uid)
            if blocked is not None:
                await found.host.close()
                found.host = None
                self.reason = (f"traced code cannot be contained here: without bubblewrap the worker runs as uid "
                               f"{s.box_uid}, which cannot reach {blocked} (on the way to {interpreter}); install "
                               "bubblewrap, or set trace.python to an interpreter that uid can run")
        self.host = found.host
        if self.host is not None:
            # The zygote needs a box that can keep root for it (bubblewrap); the Landlock fallback boxes each run.
            zygotes = s.zygote and self.host.kind == "bubblewrap"
            self.pool = ZygotePool(s, self.host) if zygotes else WorkerPool(s, self.host)
            await self.pool.start()

    async def close(self) -> None:
        """Kill every worker and remove the backend's cgroups."""
        if self.pool is not None:
            await self.pool.close()
        if self.host is not None:
            await self.host.close()

    def containment(self) -> ContainmentInfo:
        """What boxes each run, for health."""
        return describe(self.host, self.reason, self._cgroup_mode)

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
            interactive: bool, breakpoints: Optional[List[int]] = None,
            allowed_modules: Optional[List[str]] = None) -> Dict[str, Any]:
        """The message a worker receives."""
        s = self.settings
        return {
            "code": code, "user_input": user_input, "trace": trace, "max_steps": max_steps,
            "interactive": interactive, "breakpoints": breakpoints or [], "allowed_modules": allowed_modules,
            "max_stdout": s.max_stdout_chars,
            "max_trace_bytes": s.max_trace_bytes,
            "limits": {"max_items": s.max_items, "max_depth": s.max_depth, "max_objects": s.max_objects,
                       "max_str": s.max_str},
        }

    async def run(self, code: str, user_input: Union[str, List[str]] = "", *, trace: bool = True,
                  max_steps: Optional[int] = None, on_step: Optional[StepCallback] = None,
                  ask: Optional[InputCallback] = None, breakpoints: Optional[List[int]] = None,
                  allowed_modules: Optional[List[str]] = None) -> Outcome:
        """Run one program; steps go to `on_step` as they are produced; `ask` answers input() interactively.

        `breakpoints` (line numbers, besides the program's `#break` lines) keeps only the steps on them
        and the step after each; `allowed_modules` makes any other import fail as in Python Tutor.
        Cancelling the call kills the worker.
        """
        steps = self.check(code, max_steps)
        if self.pool is None:
            raise WorkerUnavailable(self.reason or "the trace backend is shut down")
        job = self.job(code, user_input, trace, steps, interactive=ask is not None, breakpoints=breakpoints,
                       allowed_modules=allowed_modules)
        async with self._slots, self.pool.worker() as worker:
            return await worker.run(job, on_step, ask)
