"""What the editor side refuses, in its own words; api/ maps each to an HTTP status and code."""
from __future__ import annotations

from ..runs import RunStatus


class EditorError(Exception):
    """Base of the errors the job core raises to its callers."""


class EditorNotTicking(EditorError):
    """Queued work would not run: the game thread is not draining the tick queue."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class QueueFull(EditorError):
    """The tick queue already holds its limit of work items."""


class JobNotFound(EditorError):
    def __init__(self, job_id: str) -> None:
        super().__init__(f"Job with ID '{job_id}' not found")
        self.job_id = job_id


class JobAlreadyFinished(EditorError):
    """A cancel of a job that had ended, or that ended on its own before the cancel took effect."""

    def __init__(self, job_id: str, status: RunStatus, *, during_cancel: bool = False) -> None:
        if during_cancel:
            message = f"Job '{job_id}' {status.value} on its own before the cancellation took effect"
        else:
            message = f"Job '{job_id}' is already {status.value} and cannot be cancelled"
        super().__init__(message)
        self.job_id = job_id
        self.status = status
        self.during_cancel = during_cancel
