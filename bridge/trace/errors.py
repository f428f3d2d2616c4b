"""Why a trace run could not happen, with the API status and code each reason maps to."""

from __future__ import annotations


class TraceRunError(Exception):
    """Base: `status` and `code` are what the HTTP and Socket.IO APIs report."""

    status = 500
    code = "INTERNAL_ERROR"


class InvalidRunRequest(TraceRunError, ValueError):
    """The request asks for something the settings do not allow."""

    status = 400
    code = "INVALID_REQUEST"


class WorkerUnavailable(TraceRunError, RuntimeError):
    """No worker could be had in time."""

    status = 503
    code = "TRACE_UNAVAILABLE"
