"""The seed's one error shape `{error, code, status}` and the exceptions that produce it."""

from __future__ import annotations

from typing import Dict, Optional

import orjson
from aiohttp import web
from pydantic import ValidationError

CODES = {
    400: "INVALID_INPUT",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "INVALID_INPUT",
    415: "INVALID_INPUT",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


class PracticeError(Exception):
    """An error the client should see: HTTP status, machine code and a message saying what to do."""

    def __init__(self, status: int, message: str, code: Optional[str] = None,
                 headers: Optional[Dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or CODES.get(status, "INTERNAL_ERROR")
        self.headers = headers or {}


def invalid(message: str) -> PracticeError:
    return PracticeError(400, message)


def not_found(message: str) -> PracticeError:
    return PracticeError(404, message)


def unauthorized(message: str) -> PracticeError:
    return PracticeError(401, message)


def conflict(message: str) -> PracticeError:
    return PracticeError(409, message)


def error_body(status: int, message: str, code: str) -> web.Response:
    """A reply in the seed's error shape."""
    body = orjson.dumps({"error": message, "code": code, "status": status})
    return web.Response(status=status, body=body, content_type="application/json")


def describe_validation(exc: ValidationError) -> str:
    """`username: String should have at least 3 characters` for the first problem; the field named first."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "body"
    if first.get("type") == "missing":
        return f"Missing required field: {where}"
    return f"{where}: {first.get('msg', 'invalid value')}"


def to_response(exc: BaseException) -> web.StreamResponse:
    """Any exception as the seed's error reply; unexpected ones are a 500 without internals."""
    if isinstance(exc, PracticeError):
        response = error_body(exc.status, exc.message, exc.code)
        response.headers.update(exc.headers)
        return response
    if isinstance(exc, ValidationError):
        return error_body(400, describe_validation(exc), "INVALID_INPUT")
    if isinstance(exc, web.HTTPException):
        if exc.status == 404:
            return error_body(404, "No such route; see docs/practice.md for the API", "NOT_FOUND")
        if exc.status == 405:
            return error_body(405, f"Method not allowed here; use {exc.headers.get('Allow', 'another')}",
                              "METHOD_NOT_ALLOWED")
        if exc.status == 413:
            return error_body(413, "Request body too large", "INVALID_INPUT")
        return error_body(exc.status, exc.reason or "request refused", CODES.get(exc.status, "INVALID_INPUT"))
    return error_body(500, "Internal server error; the server log has the details", "INTERNAL_ERROR")
