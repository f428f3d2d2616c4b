"""Stopping a running game-thread job by raising an exception in that thread.

`PyThreadState_SetAsyncExc` raises at the next bytecode boundary of the target thread. Code
that swallows it (`except BaseException: pass` in a loop) is caught by a line trap: creating
the exception on the game thread installs a trace function that raises again on the next
line of user code, and an exception raised inside an `except` block escapes that block.
A job stuck inside one long native call cannot be stopped until the call returns; callers
report that as still running, never as a failure.
"""
from __future__ import annotations

import ctypes
import os
import sys
import threading
from types import FrameType
from typing import Any, Dict, Optional, Type

from .jobs import Job

_BRIDGE_DIR = os.path.dirname(os.path.abspath(__file__))
# The line trap fires only in the user's own code: never in the bridge, the standard library or
# installed packages, where an exception from a stray finalizer would only be printed and lost.
_NOT_USER_CODE = tuple({_BRIDGE_DIR, sys.prefix, sys.base_prefix, sys.exec_prefix})
# Game-thread id -> the Interrupter whose job there is being interrupted.
_ARMED: Dict[int, Interrupter] = {}


class JobInterrupted(BaseException):
    """Raised inside a job's code to stop it; a BaseException so `except Exception` cannot swallow it."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        interrupter = _ARMED.get(threading.get_ident())
        if interrupter is not None:
            interrupter._install_trap()


def _set_async_exc(thread_id: int, exc: Optional[Type[BaseException]]) -> int:
    return int(
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)
    )


class Interrupter:
    """Knows which job runs on which thread, and interrupts only that job, never the code after it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._job: Optional[Job] = None
        self._thread_id: Optional[int] = None
        self._saved_trace: Any = None
        self._trap_installed = False

    @property
    def current(self) -> Optional[Job]:
        return self._job

    def begin(self, job: Job) -> None:
        """Game thread, just before the job's code runs. Raises JobInterrupted at once when a stop
        was asked for since the job started (while it compiled): `interrupt` could not reach it then.

        Callers call `end()` after it, raised or not.
        """
        with self._lock:
            self._job = job
            self._thread_id = threading.get_ident()
            self._saved_trace = sys.gettrace()
            self._trap_installed = False
        # Read after the job is current: a stop asked for later finds it here and interrupts it.
        if job.stop_reason is not None:
            raise JobInterrupted()

    def end(self) -> None:
        """Game thread, after the job's code returned or raised. Drops an interrupt still in flight.

        May itself be hit by that in-flight exception; callers loop until it returns.
        """
        with self._lock:
            thread_id, self._job, self._thread_id = self._thread_id, None, None
            if thread_id is not None:
                _ARMED.pop(thread_id, None)
                _set_async_exc(thread_id, None)
        if self._trap_installed:
            self._trap_installed = False
            sys.settrace(self._saved_trace)
            frame: Optional[FrameType] = sys._getframe(1)
            while frame is not None:
                frame.f_trace = None
                frame = frame.f_back

    def interrupt(self, job: Job) -> bool:
        """Any thread: raise JobInterrupted in `job` if it is the one running. False otherwise.

        Ask with `job.request_stop(reason)` first: `begin` honours a request that came too early.
        """
        with self._lock:
            if self._job is not job or self._thread_id is None:
                return False
            _ARMED[self._thread_id] = self
            return _set_async_exc(self._thread_id, JobInterrupted) == 1

    def _install_trap(self) -> None:
        """Game thread, while an interrupt is being raised there."""
        if self._job is None:
            return
        self._trap_installed = True
        sys.settrace(self._trap)
        frame: Optional[FrameType] = sys._getframe(2)
        while frame is not None:
            frame.f_trace = self._trap
            frame = frame.f_back

    def _trap(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line" and self._job is not None and not frame.f_code.co_filename.startswith(_NOT_USER_CODE):
            raise JobInterrupted()
        return self._trap
