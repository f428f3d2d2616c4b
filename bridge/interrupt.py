"""Stopping a running game-thread job by raising an exception in that thread.

`PyThreadState_SetAsyncExc` raises at the next bytecode boundary of the target thread. A job
stuck inside one long native call cannot be stopped until the call returns; callers report
that as still running, never as a failure.
"""
from __future__ import annotations

import ctypes
import threading
from typing import Optional, Type

from .jobs import Job


class JobInterrupted(BaseException):
    """Raised inside a job's code to stop it; a BaseException so `except Exception` cannot swallow it."""


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

    @property
    def current(self) -> Optional[Job]:
        return self._job

    def begin(self, job: Job) -> None:
        """Game thread, just before the job's code runs."""
        with self._lock:
            self._job = job
            self._thread_id = threading.get_ident()

    def end(self) -> None:
        """Game thread, after the job's code returned or raised. Drops an interrupt still in flight.

        May itself be hit by that in-flight exception; callers loop until it returns.
        """
        with self._lock:
            thread_id, self._job, self._thread_id = self._thread_id, None, None
            if thread_id is not None:
                _set_async_exc(thread_id, None)

    def interrupt(self, job: Job) -> bool:
        """Any thread: raise JobInterrupted in `job` if it is the one running. False otherwise."""
        with self._lock:
            if self._job is not job or self._thread_id is None:
                return False
            return _set_async_exc(self._thread_id, JobInterrupted) == 1
