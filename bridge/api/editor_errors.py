"""The editor core's errors as HTTP replies: the status and stable code each one has always had."""
from __future__ import annotations

from ..editor.errors import EditorError, EditorNotTicking, JobAlreadyFinished, JobNotFound, QueueFull
from .errors import ApiError, editor_not_ticking, job_not_found


def api_error(error: EditorError) -> ApiError:
    if isinstance(error, EditorNotTicking):
        return editor_not_ticking(error.reason)
    if isinstance(error, QueueFull):
        return ApiError(
            503, "QUEUE_FULL",
            f"{error}; wait for queued jobs to finish or cancel some (GET /api/v1/python/jobs)",
            headers={"Retry-After": "1"},
        )
    if isinstance(error, JobNotFound):
        return job_not_found(error.job_id)
    if isinstance(error, JobAlreadyFinished):
        return ApiError(400, "JOB_ALREADY_FINISHED", str(error))
    return ApiError(500, "INTERNAL_ERROR", f"the editor refused the job: {error}")


__all__ = ["api_error"]
