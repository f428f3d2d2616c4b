"""GitHub-Actions-style workflow lines in a command's stdout become steps, log entries and progress.

    ::group::NAME        a step begins, nested inside the open one
    ::endgroup::         the innermost open step ends: completed, or failed if an ::error:: was logged in it
    ::error::MSG         an ERROR log entry (in the innermost open step, which then ends failed)
    ::warning::MSG       a WARNING log entry
    ::notice::MSG        an INFO log entry
    ::debug::MSG         a DEBUG log entry
    ::progress::0.4      the run's progress, as a fraction 0-1 or a percentage (40%)

GitHub's properties (`::warning file=x,line=3::MSG`) are accepted and ignored; `%25`, `%0D` and `%0A`
in a message are decoded as GitHub does. Other `::name::` lines are plain output. Workflow lines stay
in the output; only complete lines count, so a line split across reads is parsed once whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Union

from ..runs import LogLevel, RunHistory, StepStatus

COMMANDS = ("group", "endgroup", "error", "warning", "notice", "debug", "progress")
LEVELS: Dict[str, LogLevel] = {
    "error": LogLevel.ERROR, "warning": LogLevel.WARNING, "notice": LogLevel.INFO, "debug": LogLevel.DEBUG,
}
_LINE = re.compile(r"::([a-z]+)(?:[ \t]+(.*?))?::(.*)", re.DOTALL)  # properties end at the first ::
_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))  # %25 last, or %250A would decode twice


@dataclass(frozen=True)
class WorkflowCommand:
    name: str  # one of COMMANDS
    message: str


def parse_line(line: str) -> Optional[WorkflowCommand]:
    """The workflow command on one complete line (without its newline), or None for plain output."""
    match = _LINE.fullmatch(line.rstrip("\r\n"))
    if match is None or match.group(1) not in COMMANDS:
        return None
    message = match.group(3)
    for escaped, plain in _ESCAPES:
        message = message.replace(escaped, plain)
    return WorkflowCommand(match.group(1), message)


def parse_progress(value: str) -> float:
    """`0.4` or `40%` as a fraction; ValueError with the reason for anything else."""
    text = value.strip()
    try:
        fraction = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise ValueError(f"{value!r} is not a number; write a fraction like 0.4 or a percentage like 40%") from None
    if not 0.0 <= fraction <= 1.0:  # NaN fails this too
        raise ValueError(f"{value!r} is out of range; write a fraction 0-1 or a percentage 0%-100%")
    return fraction


Piece = Union[str, WorkflowCommand]


class WorkflowSplitter:
    """Cuts stdout into output text and the workflow commands between it, in order, as it arrives.

    Text is handed on at once (a viewer sees a partial line live); a command is recognised only once
    its line is complete, right after the text that ends that line.
    """

    def __init__(self) -> None:
        self._partial = ""

    def feed(self, text: str) -> List[Piece]:
        pieces: List[Piece] = []
        start = 0  # of the text not yet handed on
        line_start = 0
        while True:
            end = text.find("\n", line_start)
            if end < 0:
                break
            command = parse_line(self._partial + text[line_start:end])
            self._partial = ""
            if command is not None:
                pieces.append(text[start:end + 1])
                pieces.append(command)
                start = end + 1
            line_start = end + 1
        self._partial += text[line_start:]
        if start < len(text):
            pieces.append(text[start:])
        return pieces

    def close(self) -> List[Piece]:
        """The command on an unterminated last line, if it is one (its text was handed on already)."""
        command = parse_line(self._partial) if self._partial else None
        self._partial = ""
        return [command] if command is not None else []


class WorkflowRecorder:
    """Applies workflow commands to one run in the history. Never raises for what a command printed."""

    def __init__(self, history: RunHistory, run_id: str) -> None:
        self.history = history
        self.run_id = run_id
        self._open: List[str] = []  # step ids, innermost last
        self._failed: Dict[str, str] = {}  # step id -> first ::error:: logged in it

    def apply(self, command: WorkflowCommand) -> None:
        name, message = command.name, command.message
        if name == "group":
            step = self.history.begin_step(self.run_id, message.strip() or "(unnamed group)")
            self._open.append(step.id)
        elif name == "endgroup":
            if not self._open:
                self.history.log(self.run_id, LogLevel.WARNING, "::endgroup:: without an open ::group:: was ignored")
                return
            self._end(self._open.pop())
        elif name == "progress":
            try:
                self.history.progress(self.run_id, parse_progress(message))
            except ValueError as exc:
                self.history.log(self.run_id, LogLevel.WARNING, f"::progress:: ignored: {exc}")
        else:
            self.history.log(self.run_id, LEVELS[name], message)
            if name == "error" and self._open:
                self._failed.setdefault(self._open[-1], message)

    def close(self) -> None:
        """At exit: groups still open that logged an error end failed; the others end with the run."""
        for step_id in reversed(self._open):
            if step_id in self._failed:
                self._end(step_id)
        self._open.clear()

    def _end(self, step_id: str) -> None:
        error = self._failed.pop(step_id, None)
        status = StepStatus.COMPLETED if error is None else StepStatus.FAILED
        self.history.end_step(self.run_id, step_id, status, error_message=error)
