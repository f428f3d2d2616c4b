"""Errors of the sandbox core; the HTTP layer maps `status` and `detail` to the reply."""

from __future__ import annotations

from typing import Optional

from .models import ExecuteResponse

UNSUPPORTED = "Unsupported language or version: {language} {version}"
LIMITS_EXCEEDED = "Resource limits exceed maximum allowed values"
TIMED_OUT = "Execution timed out after multiple attempts"


class SandboxError(Exception):
    """Base: `status` is the HTTP status, `detail` the seed-style message."""

    status = 500

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BadRunRequest(SandboxError):
    """The request cannot be run as asked (unknown runtime, limits, bad input)."""

    status = 400


class SandboxBusy(SandboxError):
    """Every slot is taken and the queue is full."""

    status = 503

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class SandboxUnavailable(SandboxError):
    """The sandbox cannot isolate this run (no bubblewrap, no cgroup, ...); nothing was run."""

    status = 503


class ExecutionFailed(SandboxError):
    """The sandbox itself failed while running (seed: `Execution service error: ...`)."""

    status = 500

    def __init__(self, error: str) -> None:
        super().__init__(f"Execution service error: {error}")


class ExecutionTimedOut(SandboxError):
    """Wall clock ran out; carries the partial result."""

    status = 408

    def __init__(self, result: ExecuteResponse, detail: Optional[str] = None) -> None:
        super().__init__(detail or TIMED_OUT)
        self.result = result
