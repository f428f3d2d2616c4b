"""Commands: subprocesses (a cook, a commandlet, a build) recorded in the run history, without HTTP.

POST /api/executions calls `CommandRunner.start`; workflow lines in a command's stdout
(`::group::`, `::warning::`, `::progress::` ...) become steps, logs and progress.
"""
from __future__ import annotations

from .errors import InvalidCommand
from .model import CommandRequest
from .runner import CommandRunner
from .workflow import WorkflowCommand, WorkflowRecorder, WorkflowSplitter, parse_line

__all__ = [
    "CommandRequest", "CommandRunner", "InvalidCommand", "WorkflowCommand", "WorkflowRecorder",
    "WorkflowSplitter", "parse_line",
]
