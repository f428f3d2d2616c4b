"""The Unreal Python bridge: run Python on the editor's game thread over HTTP."""
from __future__ import annotations

from ._version import __version__
from .config import Settings
from .errors import ApiError
from .host import BridgeHost
from .jobs import Job, JobStatus, JobStore
from .runner import JobRunner
from .server import create_app
from .tickqueue import QueueFull, TickQueue

__all__ = [
    "ApiError",
    "BridgeHost",
    "Job",
    "JobRunner",
    "JobStatus",
    "JobStore",
    "QueueFull",
    "Settings",
    "TickQueue",
    "__version__",
    "create_app",
]
