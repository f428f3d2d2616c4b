"""Trace backend: OPT-compatible step traces of Python programs, run in pooled worker processes."""

from .errors import InvalidRunRequest, TraceRunError, WorkerUnavailable
from .runner import TraceRunner
from .sessions import Session, SessionNotFound, SessionStore
from .settings import TraceSettings
from .worker import Outcome

__all__ = ["InvalidRunRequest", "Outcome", "Session", "SessionNotFound", "SessionStore", "TraceRunError",
           "TraceRunner", "TraceSettings", "WorkerUnavailable"]
