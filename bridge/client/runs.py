"""`ue-bridge runs` (the history as a table) and `ue-bridge run ID` (one run; `--follow` live)."""
from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any, Callable, Dict, List, Optional, Sequence

from .bridge_client import EXIT_ERROR, EXIT_JOB_FAILED, EXIT_OK, BridgeClient, _client, _guarded, add_target_arguments

RUN_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
STATUSES = ("pending", "running", "completed", "failed", "cancelled")
KINDS = ("editor", "script", "trace", "sandbox", "command")
COLUMNS = ("ID", "KIND", "STATUS", "NAME", "STARTED", "DURATION")


def is_run_id(text: str) -> bool:
    return bool(RUN_ID.match(text))


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"limit must be a whole number, got {text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"limit must be between 1 and 1000, got {value}")
    return value


def add_runs_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    commands: Dict[str, Callable[[argparse.Namespace], int]],
) -> None:
    parser = subparsers.add_parser("runs", help="recent runs of every kind (editor, script, trace, sandbox, command)")
    parser.add_argument("--limit", type=_limit, default=20, help="how many, newest first (20; at most 1000)")
    parser.add_argument("--status", choices=STATUSES, help="only runs with this status")
    parser.add_argument("--kind", choices=KINDS, help="only runs of this kind")
    parser.add_argument("--json", action="store_true", help="print the raw JSON page")
    add_target_arguments(parser)
    commands["runs"] = cmd_runs


def duration(execution: Dict[str, Any]) -> str:
    seconds = execution.get("duration_seconds")
    if seconds is None:
        return "-" if execution.get("status") != "running" else "running"
    if seconds < 60:
        return f"{seconds:.3f} s"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:.0f} s"


def name_of(execution: Dict[str, Any], width: int = 40) -> str:
    text = execution.get("name") or execution.get("command") or ""
    line = " ".join(str(text).split())
    return line if len(line) <= width else line[: width - 1] + "…"


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


@_guarded
def cmd_runs(args: argparse.Namespace) -> int:
    query = {"limit": str(args.limit)}
    for key in ("status", "kind"):
        if getattr(args, key):
            query[key] = getattr(args, key)
    page = _client(args).executions(query)
    if args.json:
        print(json.dumps(page, indent=2))
        return EXIT_OK
    rows: List[Sequence[str]] = [COLUMNS]
    for run in page["executions"]:
        rows.append((run["id"], run["kind"], run["status"], name_of(run), run.get("started_at") or "-", duration(run)))
    print(table(rows))
    if page.get("has_more"):
        print(f"({len(page['executions'])} of {page['total_count']}; --limit shows more)")
    return EXIT_OK


def show_run(client: BridgeClient, run_id: str, *, follow: bool, as_json: bool) -> int:
    if follow:
        from .follow import follow_run

        return follow_run(client, run_id, sys.stdout, sys.stderr)
    detail = client.execution(run_id)
    output = client.execution_output(run_id)
    if as_json:
        print(json.dumps({**detail, "output": output["output"], "logs": output["logs"]}, indent=2))
        return EXIT_OK
    print(describe(detail))
    text = output["output"]
    if text:
        print("--- output" + (" (truncated)" if output["output_truncated"] else ""))
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def describe(detail: Dict[str, Any]) -> str:
    run = detail["execution"]
    lines = [
        f"{run['id']}  {run['kind']}  {run['status']}" + (f" ({run['stop_reason']})" if run.get("stop_reason") else ""),
        f"  name:     {run.get('name') or '-'}",
        f"  command:  {' '.join(str(run['command']).split())[:200]}",
        f"  user:     {run['user']}    tags: {', '.join(run['tags']) or '-'}",
        f"  created:  {run['created_at']}    started: {run.get('started_at') or '-'}    "
        f"completed: {run.get('completed_at') or '-'}",
        f"  duration: {duration(run)}    exit code: {_shown(run.get('exit_code'))}    "
        f"progress: {run['progress_percentage']:g}%",
    ]
    if run.get("working_directory"):
        lines.append(f"  directory: {run['working_directory']}")
    if run.get("error_message"):
        lines.append(f"  error:    {run['error_message']}")
    for step in detail["steps"]:
        lines.append(f"  step {step['index']}: {step['name']}  {step['status']}  "
                     f"{_shown(step.get('duration_seconds'))} s")
    for artifact in detail["artifacts"]:
        lines.append(f"  artifact: {artifact['name']} ({artifact['file_name']}, {artifact['file_size']} bytes)  "
                     f"{artifact['download_url']}")
    return "\n".join(lines)


def _shown(value: Optional[Any]) -> str:
    return "-" if value is None else str(value)


def exit_status(status: str) -> int:
    return EXIT_OK if status == "completed" else EXIT_JOB_FAILED


__all__ = ["EXIT_ERROR", "add_runs_commands", "is_run_id", "show_run"]
