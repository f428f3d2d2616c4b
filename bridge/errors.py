"""ApiError and the JSON error bodies every route returns."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional


class ApiError(Exception):
    """An error with an HTTP status, a stable machine code and a message that says what to fix."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Optional[Mapping[str, str]] = None,
        extra: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def body(self, style: str = "v1") -> Dict[str, Any]:
        """The JSON body: `{success, error_code, error}` for /api/v1, `{detail}` for the sandbox API."""
        if style == "detail":
            return {"detail": self.message, **self.extra}
        return {"success": False, "error_code": self.code, "error": self.message, **self.extra}


def invalid_request(message: str) -> ApiError:
    return ApiError(400, "INVALID_REQUEST", message)


def missing_field(name: str) -> ApiError:
    return ApiError(400, "MISSING_FIELD", f"Missing required field: {name}")


def missing_parameter(name: str) -> ApiError:
    return ApiError(400, "MISSING_PARAMETER", f"Missing required query parameter: {name}")


def job_not_found(job_id: str) -> ApiError:
    return ApiError(404, "JOB_NOT_FOUND", f"Job with ID '{job_id}' not found")


def editor_not_ticking(reason: str) -> ApiError:
    return ApiError(503, "EDITOR_NOT_TICKING", reason)


# aiohttp's own HTTP errors (unknown route, wrong method, body too large) mapped to stable codes.
HTTP_STATUS_CODES: Dict[int, str] = {
    400: "INVALID_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
    503: "SERVICE_UNAVAILABLE",
}
