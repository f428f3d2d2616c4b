"""The Unreal Python bridge: run Python on the editor's game thread over HTTP.

Inside a job, `bridge.step`, `bridge.progress` and `bridge.artifact` describe the job's own run.
"""
from __future__ import annotations

from ._version import __version__
from .api.errors import ApiError
from .api.server import create_app
from .config import Settings
from .editor.jobs import Job, JobStatus, JobStore
from .editor.runner import JobRunner
from .editor.steps import artifact, progress, step
from .editor.tickqueue import QueueFull, TickQueue
from .host import BridgeHost

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
    "artifact",
    "create_app",
    "progress",
    "step",
]
