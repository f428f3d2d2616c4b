"""A remote-execution `command`, run as an ordinary editor job and answered as the editor answers it.

ExecuteFile runs a `.py` path with its arguments as a file (`sources.run_file`), or else the text as
literal code in the shared console globals; ExecuteStatement runs one statement there and echoes its
value as Info; EvaluateStatement evaluates an expression and returns its repr. Output comes back as
Epic's `output` entries: stdout and `unreal.log` as Info, `unreal.log_warning` as Warning, stderr and
`unreal.log_error` as Error, blank lines dropped.
"""
from __future__ import annotations

import ast
import os
import shlex
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..editor.errors import EditorError
from ..editor.jobs import Job
from ..editor.runner import JobRunner
from ..editor.sources import FileSource
from ..runs import LogEntry, LogLevel
from ..runs.events import LogAdded, OutputAdded, RunEvent
from .protocol import EVALUATE_STATEMENT, EXECUTE_FILE, EXECUTE_STATEMENT, MODES, BadMessage

# Literal code from every client shares these globals, as it shares the console's in the editor.
CONSOLE_SESSION = "remote-execution"
ENTRY_TYPES = {LogLevel.INFO: "Info", LogLevel.WARNING: "Warning", LogLevel.ERROR: "Error"}


@dataclass(frozen=True)
class Command:
    command: str
    unattended: bool
    exec_mode: str

    @classmethod
    def from_data(cls, data: Optional[Dict[str, Any]]) -> Command:
        """The `data` of a `command` message; every field is required, as in the editor."""
        data = data or {}
        command, unattended, mode = data.get("command"), data.get("unattended"), data.get("exec_mode")
        if not isinstance(command, str):
            raise BadMessage('a command needs "command", a string')
        if not isinstance(unattended, bool):
            raise BadMessage('a command needs "unattended", true or false')
        if mode not in MODES:
            raise BadMessage(f'"exec_mode" must be one of {", ".join(MODES)}, got {mode!r}')
        return cls(command, unattended, str(mode))


def file_and_args(command: str, sys_path: Sequence[str]) -> Optional[Tuple[Path, List[str]]]:
    """The `.py` file an ExecuteFile command names, with its arguments; None for literal code.

    Epic takes the text up to the first `.py` followed by a space, a quote or the end as the path, and
    looks for it in the working folder, then on `sys.path`. Unlike the editor (UE 5.8), text that names a
    `.py` which does not exist is still run as code when it is valid Python.
    """
    text = command.strip()
    if "\n" in text:
        return None
    lower = text.lower()
    start = 0
    while True:
        at = lower.find(".py", start)
        if at < 0:
            return None
        end = at + 3
        if end == len(text) or text[end].isspace() or text[end] == '"':
            break
        start = end
    path_text = text[:end].strip().strip('"')
    rest = text[end:].lstrip('"')
    try:
        args = shlex.split(rest)
    except ValueError:
        args = rest.split()
    given = Path(path_text).expanduser()
    candidates = [given] if given.is_absolute() else [Path.cwd() / given, *(Path(e) / given for e in sys_path if e)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve(), args
    try:
        ast.parse(command)
    except SyntaxError:
        raise FileNotFoundError(f"Could not load Python file '{path_text}' (resolved as '{given}')") from None
    return None


class OutputEntries:
    """Epic's `output` entries of one run, gathered from the history's events as the job runs."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.entries: List[Dict[str, str]] = []
        self._logged: Optional[LogEntry] = None
        self._lock = threading.Lock()

    def __call__(self, event: RunEvent) -> None:
        if isinstance(event, LogAdded) and event.run_id == self.run_id:
            with self._lock:
                self._logged = event.entry
        elif isinstance(event, OutputAdded) and event.run_id == self.run_id:
            with self._lock:
                self._take_lines(event.lines)

    def _take_lines(self, lines: Sequence[LogEntry]) -> None:
        for line in lines:
            if line.stream == "log":
                # The echo of an unreal.log* call: its LogAdded just before says the level. The bridge's
                # own log lines ("Execution started") have no echo, so they never reach the client.
                logged, self._logged = self._logged, None
                if logged is not None:
                    self.add(logged.level, logged.message)
                continue
            self.add(LogLevel.ERROR if line.stream == "stderr" else LogLevel.INFO, line.message)

    def add(self, level: LogLevel, text: str) -> None:
        if text.strip():
            self.entries.append({"type": ENTRY_TYPES[level], "output": text + os.linesep})


async def run_command(runner: JobRunner, command: Command, *, timeout: float) -> Dict[str, Any]:
    """The `data` of the `command_result` for one command."""
    try:
        job = _job_for(command, list(sys.path), timeout)
    except FileNotFoundError as exc:
        return _result(command, False, str(exc), [{"type": "Error", "output": str(exc) + os.linesep}])
    entries = OutputEntries(job.id)
    unsubscribe = runner.history.bus.subscribe(entries)
    try:
        try:
            runner.submit(job, user="remote-execution", tags=["remote-execution"],
                          metadata={"exec_mode": command.exec_mode, "unattended": command.unattended})
        except EditorError as exc:
            return _result(command, False, str(exc), [])
        run = await runner.wait(job)
    finally:
        unsubscribe()
    record = runner.history.get(job.id)
    if not run.status.finished:
        message = (f"the command ran past its {timeout:g} s timeout and is still running inside a native call "
                   f"(job {job.id})")
        return _result(command, False, message, entries.entries)
    run = record.run if record is not None else run
    if run.status.value != "completed":
        failure = run.traceback or run.error_message or f"the command was {run.status.value}"
        if command.exec_mode == EXECUTE_FILE:
            entries.add(LogLevel.ERROR, failure.rstrip("\n"))
        return _result(command, False, failure, entries.entries)
    if command.exec_mode == EVALUATE_STATEMENT:
        return _result(command, True, str(run.result), entries.entries)
    if command.exec_mode == EXECUTE_STATEMENT and run.result is not None:
        entries.add(LogLevel.INFO, str(run.result))  # what the interactive prompt prints
    return _result(command, True, "None", entries.entries)


def _job_for(command: Command, sys_path: Sequence[str], timeout: float) -> Job:
    name = f"remote {command.exec_mode}"
    if command.exec_mode == EXECUTE_FILE:
        found = file_and_args(command.command, sys_path)
        if found is not None:
            source = FileSource(found[0], tuple(found[1]))
            return Job(code=source.command, call=source.run, name=name, timeout=timeout)
    mode = "eval" if command.exec_mode == EVALUATE_STATEMENT else "exec"
    return Job(code=command.command, mode=mode, session_id=CONSOLE_SESSION, name=name, timeout=timeout)


def _result(command: Command, success: bool, result: str, output: List[Dict[str, str]]) -> Dict[str, Any]:
    return {"success": success, "command": command.command, "result": result, "output": output}
