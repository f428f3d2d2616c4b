"""Routing a job's stdout, stderr, `unreal.log*` and slow tasks into its run, teed to the editor's own log.

Streams are replaced once by thread-aware proxies: writes from the game thread while a job
runs go to that job's run in the history (as they happen, so watchers see each line) *and*
to the original stream; writes from any other thread only to the original, so another
thread's prints never land in a job.
"""
from __future__ import annotations

import io
import sys
import threading
from types import ModuleType
from typing import Any, Callable, Dict, Optional, TextIO

from ..runs import LogLevel
from .current import RunContext
from .slowtask import wrap_slow_task

_LOG_PREFIX = {LogLevel.INFO: "", LogLevel.WARNING: "Warning: ", LogLevel.ERROR: "Error: "}
# The text an `unreal.log*` call adds to the output is marked with this stream: its LogAdded
# event carries the same line with its level, so a live viewer can show it once.
LOG_ECHO_STREAM = "log"


class _RoutedStream(io.TextIOBase):
    """Stands in for sys.stdout / sys.stderr."""

    def __init__(self, router: OutputRouter, original: Optional[TextIO], name: str) -> None:
        self.router = router
        self.original = original
        self.name = name

    def write(self, text: str) -> int:
        context = self.router.active.get(threading.get_ident())
        if context is not None:
            context.history.output(context.run_id, text, self.name)
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

    def __init__(self, router: OutputRouter, original: Optional[TextIO], name: str = "stdin") -> None:
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


LOG_FUNCTIONS = {"log": LogLevel.INFO, "log_warning": LogLevel.WARNING, "log_error": LogLevel.ERROR}
_STREAMS: Dict[str, Any] = {"stdout": _RoutedStream, "stderr": _RoutedStream, "stdin": _RoutedStdin}


class OutputRouter:
    """Installs the stream proxies, the `unreal.log*` wrappers and the slow-task wrapper once;
    `begin(context)` routes the calling thread to a run until `end()`."""

    def __init__(self) -> None:
        self.active: Dict[int, RunContext] = {}
        self._saved: Dict[str, Any] = {}
        self._unreal: Optional[ModuleType] = None

    def install(self, unreal: Optional[ModuleType]) -> None:
        """Wrap `unreal.log*` and `unreal.ScopedSlowTask` once; the streams are (re)wrapped at every job start."""
        self._ensure_streams()
        if unreal is not None and self._unreal is None:
            self._unreal = unreal
            for name, level in LOG_FUNCTIONS.items():
                original = getattr(unreal, name)
                self._saved[name] = original
                setattr(unreal, name, self._wrap_log(original, level))
            slow_task = getattr(unreal, "ScopedSlowTask", None)
            if slow_task is not None:
                self._saved["ScopedSlowTask"] = slow_task
                unreal.ScopedSlowTask = wrap_slow_task(slow_task, self)  # type: ignore[attr-defined]

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

    def begin(self, context: RunContext) -> None:
        # Something (an editor plugin, a test runner) may have replaced the streams since.
        self._ensure_streams()
        self.active[threading.get_ident()] = context

    def end(self) -> None:
        self.active.pop(threading.get_ident(), None)

    def _ensure_streams(self) -> None:
        for name, proxy in _STREAMS.items():
            current = getattr(sys, name)
            if not (isinstance(current, (_RoutedStream, _RoutedStdin)) and current.router is self):
                setattr(sys, name, proxy(self, current, name))

    def context(self) -> Optional[RunContext]:
        """The run the calling thread is routed to, if any."""
        return self.active.get(threading.get_ident())

    def _wrap_log(self, original: Callable[[Any], None], level: LogLevel) -> Callable[[Any], None]:
        router = self

        def logged(arg: Any) -> None:
            context = router.active.get(threading.get_ident())
            if context is not None:
                message = str(arg)
                context.history.log(context.run_id, level, message)
                context.history.output(context.run_id, _LOG_PREFIX[level] + message + "\n", LOG_ECHO_STREAM)
            original(arg)

        logged.__name__ = original.__name__
        logged.__doc__ = original.__doc__
        logged.__wrapped__ = original  # type: ignore[attr-defined]
        return logged
