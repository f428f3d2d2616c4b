"""Baselines for the trace bench, measured in this process or in plain fresh processes (no bridge, no box)."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

from bridge.trace.child.encoder import Limits
from bridge.trace.child.program import USER_FILENAME, make_globals
from bridge.trace.child.protocol import dumps
from bridge.trace.child.tracer import Tracer

Program = Tuple[str, str, List[str]]


class _Stopped(BaseException):
    """Ends a bench run at its step limit, as the worker's exit does."""


def _feeder(answers: List[str]) -> Callable[..., str]:
    queue = list(answers)

    def fake_input(prompt: Any = "") -> str:
        return queue.pop(0) if queue else ""

    return fake_input


def settrace_floor_ms(programs: List[Program]) -> List[float]:
    """Per program, ms to run it under a sys.settrace hook that only counts its line events."""
    return [_floor_one(code, answers) for _, code, answers in programs]


def _floor_one(code: str, answers: List[str]) -> float:
    compiled = compile(code, USER_FILENAME, "exec")
    count = [0]

    def local(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            count[0] += 1
        return local

    def hook(frame: Any, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename == USER_FILENAME else None

    user_globals = make_globals(_feeder(answers))
    saved, sys.stdout = sys.stdout, io.StringIO()
    started = time.perf_counter()
    sys.settrace(hook)
    try:
        exec(compiled, user_globals)
    except Exception:  # the corpus has programs that end in an uncaught exception
        pass
    finally:
        sys.settrace(None)
        elapsed = time.perf_counter() - started
        sys.stdout = saved
    return elapsed * 1000


def fresh_python_ms(programs: List[Program]) -> List[float]:
    """Per program, ms for `python -c CODE` untraced in a new process (answers on stdin)."""
    out: List[float] = []
    for _, code, answers in programs:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], input="".join(a + "\n" for a in answers), text=True,
                       capture_output=True, check=False)
        out.append((time.perf_counter() - started) * 1000)
    return out


def tracer_cost_us(code: str, max_steps: int = 1000, repeat: int = 3) -> Tuple[float, float, float]:
    """µs per step of the worker's tracer run here: in all, building the step (state and heap), JSON-encoding it.

    Best of `repeat`: the least disturbed by the machine's other work.
    """
    best = min((_cost_once(code, max_steps) for _ in range(repeat)), key=lambda r: r[0])
    return best


def _cost_once(code: str, max_steps: int) -> Tuple[float, float, float]:
    compiled = compile(code, USER_FILENAME, "exec")
    user_globals = make_globals(_feeder([]))
    spent = {"json": 0.0, "snapshot": 0.0}
    steps = [0]

    def sink(step: Dict[str, Any]) -> bool:
        t = time.perf_counter()
        dumps(step)
        spent["json"] += time.perf_counter() - t
        steps[0] += 1
        return True

    def stop(entry: Dict[str, Any], status: str) -> None:
        raise _Stopped

    out = io.StringIO()
    tracer = Tracer(compiled, code.splitlines(), user_globals, out.getvalue, sink, stop, max_steps, Limits())
    snapshot = tracer.snapshot

    def timed_snapshot(*args: Any) -> Dict[str, Any]:
        t = time.perf_counter()
        try:
            return snapshot(*args)
        finally:
            spent["snapshot"] += time.perf_counter() - t

    tracer.snapshot = timed_snapshot  # type: ignore[method-assign,assignment]
    saved, sys.stdout = sys.stdout, out
    started = time.perf_counter()
    try:
        tracer.run()
    except _Stopped:
        pass
    finally:
        total = time.perf_counter() - started
        sys.stdout = saved
    n = max(steps[0], 1)
    return total / n * 1e6, spent["snapshot"] / n * 1e6, spent["json"] / n * 1e6
