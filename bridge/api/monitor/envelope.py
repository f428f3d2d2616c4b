"""The seed 003 envelope `{success, data, error, timestamp}` of the monitor routes, errors included."""
from __future__ import annotations

import time
from typing import Generic, Optional, TypeVar

import orjson
from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ...timefmt import iso
from ..errors import ErrorReply
from ..http import json_response
from ..openapi import Handler

T = TypeVar("T")
# Where the envelope applies: the seed 003 routes (/api/health is merged with seed 004's, see health.py).
MONITOR_PREFIXES = ("/api/executions", "/api/artifacts", "/api/health", "/api/ws")


def now_iso() -> str:
    return iso(time.time()) or ""


class Envelope(BaseModel, Generic[T]):
    """A successful monitor reply."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    success: bool = True
    data: T
    error: Optional[str] = None  # null on success
    timestamp: str = Field(default_factory=now_iso, description="when the reply was made, ISO 8601 UTC")


class MonitorErrorReply(ErrorReply):
    """A monitor error: the seed's `{success: false, data: null, error, timestamp}` and the bridge's
    `error_code` and `detail`."""

    data: None = None
    timestamp: str = Field(default_factory=now_iso)


def ok(data: BaseModel, status: int = 200) -> web.Response:
    return json_response(data, status)


def is_monitor_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in MONITOR_PREFIXES)


@web.middleware
async def envelope_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give every error reply of a monitor route the seed's envelope, whichever layer refused it
    (the request policy, routing, a handler): one shape for a seed 003 client."""
    response = await handler(request)
    if response.status < 400 or not is_monitor_path(request.path) or not isinstance(response, web.Response):
        return response
    if response.content_type != "application/json" or not isinstance(response.body, bytes):
        return response
    try:
        body = orjson.loads(response.body)
    except orjson.JSONDecodeError:
        return response
    if not isinstance(body, dict) or body.get("success") is not False or "timestamp" in body:
        return response
    enveloped = {"success": False, "data": None, "error": body.get("error"), "timestamp": now_iso(),
                 **{k: v for k, v in body.items() if k not in ("success", "error")}}
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")}
    return web.Response(body=orjson.dumps(enveloped), status=response.status, content_type="application/json",
                        headers=headers)
