"""`unreal.log*`: lines in the editor's Output Log under the LogPython category."""
from __future__ import annotations

import sys
import threading
import time
from typing import Any, List, NamedTuple


class LogLine(NamedTuple):
    time: float
    verbosity: str  # "Log", "Warning" or "Error", as the editor names them
    message: str


_lock = threading.Lock()
_lines: List[LogLine] = []
_MAX_LINES = 10_000


def log(arg: Any) -> None:
    """Log an info message to the Output Log."""
    _write("Log", arg)


def log_warning(arg: Any) -> None:
    """Log a warning message to the Output Log."""
    _write("Warning", arg)


def log_error(arg: Any) -> None:
    """Log an error message to the Output Log."""
    _write("Error", arg)


def _write(verbosity: str, arg: Any) -> None:
    message = str(arg)
    with _lock:
        _lines.append(LogLine(time.time(), verbosity, message))
        del _lines[:-_MAX_LINES]
    prefix = "LogPython: " if verbosity == "Log" else f"LogPython: {verbosity}: "
    # The real editor writes to its log device, never through Python's sys.stdout.
    stream = sys.__stdout__
    if stream is not None:
        stream.write(prefix + message + "\n")
        stream.flush()


def lines() -> List[LogLine]:
    """Everything logged since the last `clear()`."""
    with _lock:
        return list(_lines)


def clear() -> None:
    with _lock:
        _lines.clear()
