"""Per-job capture of stdout, stderr and `unreal.log*`, teed to the editor's own log.

Streams are replaced once by thread-aware proxies: writes from the game thread while a job
runs go to that job's capture *and* to the original stream; writes from any other thread
only to the original, so another thread's prints never land in a job.
"""
from __future__ import annotations

import io
import sys
import threading
import time
from types import ModuleType
from typing import Any, Callable, Dict, List, Optional, TextIO

from .jobs import LogEntry

_LOG_PREFIX = {"info": "", "warning": "Warning: ", "error": "Error: "}


class JobCapture:
    """What one job printed and logged, bounded."""

    def __init__(self, output_limit: int, log_limit: int) -> None:
        self.output_limit = output_limit
        self.log_limit = log_limit
        self.logs: List[LogEntry] = []
        self.truncated = False
        self.logs_dropped = 0
        self._parts: List[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        if not text or self.truncated:
            return
        size = len(text) if text.isascii() else len(text.encode("utf-8", "replace"))
        room = self.output_limit - self._size
        if size > room:
            text = text.encode("utf-8", "replace")[:room].decode("utf-8", "ignore")
            size = len(text.encode("utf-8", "replace"))
            self.truncated = True
        self._size += size
        self._parts.append(text)

    def log(self, level: str, message: str, *, always: bool = False) -> None:
        """Keep a log entry; past `log_limit` entries are counted, not kept, unless `always`."""
        if len(self.logs) >= self.log_limit and not always:
            self.logs_dropped += 1
            return
        self.logs.append(LogEntry(time.time(), level, message))

    @property
    def output(self) -> str:
        return "".join(self._parts)


class _RoutedStream(io.TextIOBase):
    """Stands in for sys.stdout / sys.stderr."""

    def __init__(self, router: OutputRouter, original: Optional[TextIO]) -> None:
        self.router = router
        self.original = original

    def write(self, text: str) -> int:
        capture = self.router.active.get(threading.get_ident())
        if capture is not None:
            capture.write(text)
        original = self.original
        if original is not None:
            try:
                original.write(text)
            except Exception:  # a broken editor log must not fail the job
                pass
        return len(text)

    def flush(self) -> None:
        if self.original is not None:
            try:
                self.original.flush()
            except Exception:
                pass

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original, name)


class _RoutedStdin(io.TextIOBase):
    """A job reads end-of-file at once (so `input()` raises EOFError); others read the original."""

    def __init__(self, router: OutputRouter, original: Optional[TextIO]) -> None:
        self.router = router
        self.original = original

    def _in_job(self) -> bool:
        return threading.get_ident() in self.router.active

    def readline(self, size: Optional[int] = -1) -> str:  # type: ignore[override]
        if self._in_job() or self.original is None:
            return ""
        return self.original.readline(size if size is not None else -1)

    def read(self, size: Optional[int] = -1) -> str:
        if self._in_job() or self.original is None:
            return ""
        return self.original.read(size if size is not None else -1)

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        if self._in_job() or self.original is None:
            raise io.UnsupportedOperation("a bridge job has no console input")
        return self.original.fileno()


LOG_FUNCTIONS = {"log": "info", "log_warning": "warning", "log_error": "error"}
_STREAMS: Dict[str, Any] = {"stdout": _RoutedStream, "stderr": _RoutedStream, "stdin": _RoutedStdin}


class OutputRouter:
    """Installs the stream proxies and `unreal.log*` wrappers once; `capturing()` routes a thread."""

    def __init__(self) -> None:
        self.active: Dict[int, JobCapture] = {}
        self._saved: Dict[str, Any] = {}
        self._unreal: Optional[ModuleType] = None

    def install(self, unreal: Optional[ModuleType]) -> None:
        """Wrap `unreal.log*` once; the streams are (re)wrapped at every job start."""
        self._ensure_streams()
        if unreal is not None and self._unreal is None:
            self._unreal = unreal
            for name, level in LOG_FUNCTIONS.items():
                original = getattr(unreal, name)
                self._saved[name] = original
                setattr(unreal, name, self._wrap_log(original, level))

    def uninstall(self) -> None:
        for name in _STREAMS:
            current = getattr(sys, name)
            if isinstance(current, (_RoutedStream, _RoutedStdin)) and current.router is self:
                setattr(sys, name, current.original)
        if self._unreal is not None:
            for name, original in self._saved.items():
                setattr(self._unreal, name, original)
        self._saved = {}
        self._unreal = None

    def begin(self, capture: JobCapture) -> None:
        # Something (an editor plugin, a test runner) may have replaced the streams since.
        self._ensure_streams()
        self.active[threading.get_ident()] = capture

    def end(self) -> None:
        self.active.pop(threading.get_ident(), None)

    def _ensure_streams(self) -> None:
        for name, proxy in _STREAMS.items():
            current = getattr(sys, name)
            if not (isinstance(current, (_RoutedStream, _RoutedStdin)) and current.router is self):
                setattr(sys, name, proxy(self, current))

    def _wrap_log(self, original: Callable[[Any], None], level: str) -> Callable[[Any], None]:
        router = self

        def logged(arg: Any) -> None:
            capture = router.active.get(threading.get_ident())
            if capture is not None:
                message = str(arg)
                capture.log(level, message)
                capture.write(_LOG_PREFIX[level] + message + "\n")
            original(arg)

        logged.__name__ = original.__name__
        logged.__doc__ = original.__doc__
        logged.__wrapped__ = original  # type: ignore[attr-defined]
        return logged
