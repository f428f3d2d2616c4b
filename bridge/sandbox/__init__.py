"""The multi-language sandbox: untrusted code in bubblewrap boxes under cgroup and rlimit limits."""

from __future__ import annotations

from .errors import BadRunRequest, ExecutionFailed, ExecutionTimedOut, SandboxBusy, SandboxError, SandboxUnavailable
from .models import ExecuteRequest, ExecuteResponse, HealthResponse, RuntimesResponse
from .runner import SandboxRunner
from .settings import SandboxSettings

__all__ = [
    "BadRunRequest",
    "ExecuteRequest",
    "ExecuteResponse",
    "ExecutionFailed",
    "ExecutionTimedOut",
    "HealthResponse",
    "RuntimesResponse",
    "SandboxBusy",
    "SandboxError",
    "SandboxRunner",
    "SandboxSettings",
    "SandboxUnavailable",
]
