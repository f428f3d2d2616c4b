"""Readable text of what the bridge answers: a job's outcome, a run of the history, trace steps."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Sequence

from ..client.runs import describe

MAX_SHOWN_STEPS = 200
MAX_VALUE_CHARS = 80


def job_text(job: Mapping[str, Any]) -> str:
    """A finished job as an agent reads it: status, output, then the result or the traceback."""
    lines = [f"status: {job['status']}  (job {job['id']}, {float(job.get('duration_ms') or 0):.1f} ms)"]
    if job.get("output"):
        cut = " (truncated)" if job.get("output_truncated") else ""
        lines += [f"--- output{cut}", str(job["output"]).rstrip("\n")]
    if job.get("result") is not None:
        result = job["result"]
        lines += ["--- result", result if isinstance(result, str) else json.dumps(result, indent=2)]
    if job.get("traceback") or job.get("error"):
        lines += ["--- error", str(job.get("traceback") or job.get("error")).rstrip("\n")]
    return "\n".join(lines)


def still_going_text(run_id: str, status: str, wait: float) -> str:
    return (f"status: {status}  (job {run_id}): still {status} after this call's {wait:g} s wait; it goes on. "
            f"get_run shows its output so far and how it ended, cancel_run stops it")


def run_text(detail: Mapping[str, Any], output: Mapping[str, Any]) -> str:
    """A run of any kind: its details, steps and artifacts, then what it printed."""
    text = describe(dict(detail))
    printed = str(output.get("output") or "")
    if printed:
        cut = " (truncated)" if output.get("output_truncated") else ""
        text += f"\n--- output{cut}\n" + printed.rstrip("\n")
    return text


def runs_text(page: Mapping[str, Any]) -> str:
    rows = [f"{run['id']}  {run['kind']:<7}  {run['status']:<9}  {run.get('started_at') or '-':<24}  "
            f"{' '.join(str(run.get('name') or run.get('command') or '').split())[:60]}"
            for run in page["executions"]]
    more = f"\n({len(rows)} of {page['total_count']}; a larger limit shows more)" if page.get("has_more") else ""
    return ("\n".join(rows) or "no runs") + more


def value_text(value: Any, heap: Mapping[str, Any], depth: int = 0) -> str:
    """One value of the Online Python Tutor encoding, short: `[1, 2]`, `{'k': [1, 2]}`, `f(a)`."""
    if not isinstance(value, list):
        return json.dumps(value) if isinstance(value, str) else repr(value)
    tag, *rest = value
    if tag == "REF":
        target = heap.get(str(rest[0]))
        return "…" if target is None or depth > 2 else value_text(target, heap, depth + 1)
    if tag in ("LIST", "TUPLE", "SET"):
        inner = ", ".join(value_text(item, heap, depth + 1) for item in rest)
        return {"LIST": f"[{inner}]", "TUPLE": f"({inner})", "SET": f"{{{inner}}}"}[tag]
    if tag == "DICT":
        return "{" + ", ".join(f"{value_text(k, heap, depth + 1)}: {value_text(v, heap, depth + 1)}"
                               for k, v in rest) + "}"
    if tag in ("FUNCTION", "CLASS", "module"):
        return str(rest[0])
    if tag in ("INSTANCE", "INSTANCE_PPRINT"):
        return f"<{rest[0]}>"
    return str(rest[0]) if rest else str(tag)  # SPECIAL_FLOAT, IMPORTED_FAUX_PRIMITIVE, ...


def _short(text: str) -> str:
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def step_line(step: Mapping[str, Any], previous_stdout: str) -> List[str]:
    """One step: number, line, event, function and the variables of the frame it is in; then new output."""
    heap = step.get("heap") or {}
    frames = step.get("stack_to_render") or []
    if frames:
        frame = frames[-1]
        names, values = frame.get("ordered_varnames") or [], frame.get("encoded_locals") or {}
    else:
        names, values = step.get("ordered_globals") or [], step.get("globals") or {}
    shown = "  ".join(f"{name}={_short(value_text(values[name], heap))}" for name in names if name in values)
    event = step.get("event", "")
    lines = [f"{step.get('step', '?'):>4}  L{step.get('line', '?'):<4} {event:<18} {step.get('func_name', '')}"
             f"{'  ' + shown if shown else ''}"]
    if event in ("exception", "uncaught_exception") and step.get("exception_msg"):
        lines.append(f"      ! {step['exception_msg']}")
    stdout = str(step.get("stdout") or "")
    if len(stdout) > len(previous_stdout) and stdout.startswith(previous_stdout):
        lines += [f"      > {line}" for line in stdout[len(previous_stdout):].splitlines()]
    return lines


def trace_text(reply: Mapping[str, Any]) -> str:
    """A trace as one line per step (the first MAX_SHOWN_STEPS), then how the program ended."""
    steps: Sequence[Dict[str, Any]] = reply.get("steps") or []
    lines = [f"status: {reply['status']}  ({reply['total_steps']} steps, session {reply['session_id']})"]
    stdout = ""
    for step in steps[:MAX_SHOWN_STEPS]:
        lines += step_line(step, stdout)
        stdout = str(step.get("stdout") or "")
    if len(steps) > MAX_SHOWN_STEPS:
        lines.append(f"… {len(steps) - MAX_SHOWN_STEPS} more steps in the structured content")
    error = reply.get("error")
    if error:
        where = f" (line {error['line']})" if error.get("line") else ""
        lines.append(f"--- error{where}\n{error['type']}: {error['message']}")
    if reply.get("stdout"):
        lines += ["--- stdout", str(reply["stdout"]).rstrip("\n")]
    return "\n".join(lines)


def sandbox_text(reply: Mapping[str, Any]) -> str:
    lines = [f"status: {reply['status']}  (exit code {reply['exit_code']}, {reply['execution_time_ms']} ms, "
             f"{reply['language']} {reply['language_version']})"]
    for stream in ("compile_output", "stdout", "stderr"):
        if reply.get(stream):
            cut = " (truncated)" if reply.get(f"{stream}_truncated") else ""
            lines += [f"--- {stream}{cut}", str(reply[stream]).rstrip("\n")]
    return "\n".join(lines)
