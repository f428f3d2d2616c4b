"""From what the harness printed and how the run ended to the seed's status and per-test results."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ...sandbox.models import ExecuteResponse
from .types import ValueType, matches

ORDER = ("compile_error", "timeout", "memory_limit", "runtime_error", "wrong_answer", "accepted")


@dataclass
class Verdict:
    status: str
    runtime_ms: int
    memory_kb: int
    test_results: List[Dict[str, Any]]
    error: Optional[str] = None
    passed: int = 0
    total: int = 0
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Said:
    """One harness line: a test's JSON result or error, or a compile complaint."""

    ok: Optional[Any] = None
    error: Optional[str] = None
    out_of_memory: bool = False


def _read(stdout: str, marker: str) -> tuple[Dict[int, Said], Optional[str]]:
    results: Dict[int, Said] = {}
    compile_error: Optional[str] = None
    for m in re.finditer(rf"^{re.escape(marker)} (compile|\d+)(?: (ok|error|memory))? (.*)$", stdout, re.MULTILINE):
        what, kind, payload = m.group(1), m.group(2), m.group(3)
        try:
            value = json.loads(payload)
        except json.JSONDecodeError:
            continue  # a line the harness did not finish (output cut off): that test has no result
        if what == "compile":
            compile_error = str(value)
        elif kind == "ok":
            results.setdefault(int(what), Said(ok=value))
        else:
            results.setdefault(int(what), Said(error=str(value), out_of_memory=kind == "memory"))
    return results, compile_error


def judge_output(run: ExecuteResponse, marker: str, tests: List[Dict[str, Any]], returns: ValueType) -> Verdict:
    """The verdict of one run of the harness over `tests` (each `{input, expected, public}`)."""
    runtime_ms, memory_kb = run.execution_time_ms, run.memory_kb or 0
    if run.status == "compile_error":
        return Verdict("compile_error", runtime_ms, memory_kb, [], error=run.compile_output.strip()[-4000:],
                       total=len(tests))
    said, compile_error = _read(run.stdout, marker)
    if compile_error is not None:
        return Verdict("compile_error", runtime_ms, memory_kb, [], error=compile_error, total=len(tests))
    results: List[Dict[str, Any]] = []
    statuses = {"accepted"}
    first_error: Optional[str] = None
    for i, test in enumerate(tests):
        public = bool(test.get("public"))
        got = said.get(i)
        entry: Dict[str, Any] = {"test_case": i + 1, "passed": False, "output": None}
        if got is None:
            statuses.add("runtime_error")
        elif got.error is not None:
            statuses.add("memory_limit" if got.out_of_memory else "runtime_error")
            first_error = first_error or (got.error if public else f"{got.error.split(':')[0]} on hidden test {i + 1}")
            if public:
                entry["error"] = got.error
        else:
            entry["passed"] = matches(got.ok, test["expected"], returns)
            if not entry["passed"]:
                statuses.add("wrong_answer")
            if public:
                entry["output"] = json.dumps(got.ok, separators=(",", ":"))
        results.append(entry)
    if run.status == "timeout":
        statuses.add("timeout")
        first_error = "Time limit exceeded"
    elif run.status == "memory_limit" or "heap out of memory" in run.stderr:  # node dies on its own heap cap
        statuses.add("memory_limit")
        first_error = "Memory limit exceeded"
    elif run.status == "output_limit":
        statuses.add("runtime_error")
        first_error = "Output limit exceeded: print less"
    elif run.status != "ok" and len(said) < len(tests):
        first_error = first_error or _crash(run)
    status = next(s for s in ORDER if s in statuses)
    passed = sum(1 for r in results if r["passed"])
    return Verdict(status, runtime_ms, memory_kb, results, error=first_error if status != "accepted" else None,
                   passed=passed, total=len(tests))


def _crash(run: ExecuteResponse) -> str:
    if run.signal:
        return f"The program was killed by {run.signal}"
    tail = run.stderr.strip().splitlines()[-1:] or [f"exit code {run.exit_code}"]
    return f"The program stopped early: {tail[0][:500]}"
