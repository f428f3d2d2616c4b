"""ApiError and the JSON error bodies every route returns."""
from __future__ import annotations

from typing import Dict, Literal, Mapping, Optional

from pydantic import BaseModel, ConfigDict, Field


class ErrorReply(BaseModel):
    """The body of every error reply, on every route."""

    # Every field is always sent, so the document marks them all required.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    success: Literal[False] = False
    error_code: str = Field(description="stable machine code, e.g. MISSING_FIELD")
    error: str = Field(description="what was wrong and what to do")
    detail: str = Field(description="the same message as `error`: seed 004 sandbox clients read `detail`")


class ApiError(Exception):
    """An error with an HTTP status, a stable machine code and a message that says what to fix."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> ErrorReply:
        """The JSON body, the same shape on every route."""
        return ErrorReply(error_code=self.code, error=self.message, detail=self.message)


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
