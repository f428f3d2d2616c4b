"""`unreal.log*`: lines in the editor's Output Log under the LogPython category."""

from __future__ import annotations

import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, List, NamedTuple


class LogLine(NamedTuple):
    time: float
    verbosity: str  # "Log", "Warning" or "Error", as the editor names them
    message: str
    category: str = "LogPython"


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


def log_flush() -> None:
    """Flush the log to its devices."""
    stream = sys.__stdout__
    if stream is not None:
        stream.flush()


def editor_log(category: str, verbosity: str, message: str) -> None:
    """A line the editor itself writes (not Python), e.g. `LogEditorAssetSubsystem: Error: ...`."""
    _write(verbosity, message, category)


def _write(verbosity: str, arg: Any, category: str = "LogPython") -> None:
    message = str(arg)
    with _lock:
        _lines.append(LogLine(time.time(), verbosity, message, category))
        del _lines[:-_MAX_LINES]
    prefix = f"{category}: " if verbosity == "Log" else f"{category}: {verbosity}: "
    # The real editor writes to its log device, never through Python's sys.stdout.
    stream = sys.__stdout__
    if stream is not None:
        stream.write(prefix + message + "\n")
        stream.flush()
    _append_to_log_file(prefix + message)


def log_file_path() -> Path:
    """`<project>/Saved/Logs/<Project>.log`, where the editor writes its log."""
    from ._system import PROJECT_NAME, project_root

    return project_root() / "Saved" / "Logs" / f"{PROJECT_NAME}.log"


def start_log_file() -> Path:
    """Create the log file (as the editor does at startup) so log tailers find it."""
    path = log_file_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return path


def _append_to_log_file(text: str) -> None:
    # Same line format as the editor: `[2024.01.15-10.23.45:123][  0]LogTexture: Warning: message` (UTC).
    now = datetime.now(timezone.utc)
    stamp = now.strftime("%Y.%m.%d-%H.%M.%S:") + f"{now.microsecond // 1000:03d}"
    line = f"[{stamp}][  0]{text}\n"
    try:
        with _lock:
            try:
                _append_line(log_file_path(), line)
            except FileNotFoundError:  # Saved/Logs is missing (new or removed project): make it, as at startup
                _append_line(start_log_file(), line)
    except OSError:
        pass  # a read-only project must not break logging, as in the editor


def _append_line(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(line)


def lines() -> List[LogLine]:
    """Everything logged since the last `clear()`."""
    with _lock:
        return list(_lines)


def clear() -> None:
    """Forget every kept line."""
    with _lock:
        _lines.clear()
