"""The Streamable HTTP endpoint's request policy: the bridge's own (loopback Host, Origin, Fetch Metadata, token).

The endpoint runs whatever an agent asks in the editor, so a web page must reach it no more than it can reach
the bridge: the same allow-list (`allowed_origins`), the same rules, the same functions.
"""
from __future__ import annotations

from typing import Optional, Tuple

import orjson
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from ..api.errors import ApiError
from ..api.security import OTHER_SITES, TAG_MODES, check_token, is_loopback_host, origin_allowed
from ..config import Settings
from ..loopback import is_loopback_address


def parse_address(text: str) -> Tuple[str, int]:
    """`--http [HOST:]PORT`: a loopback host (default 127.0.0.1) and a port (0 picks a free one)."""
    host, sep, port_text = text.rpartition(":")
    host = host.strip("[]") if sep else "127.0.0.1"
    try:
        port = int(port_text)
    except ValueError:
        raise ValueError(f"--http takes [HOST:]PORT, e.g. 8765 or 127.0.0.1:8765; got {text!r}") from None
    if not 0 <= port <= 65535:
        raise ValueError(f"--http port must be between 0 and 65535, got {port}")
    if not is_loopback_address(host):
        raise ValueError(
            f"--http binds loopback only (127.0.0.1, ::1 or localhost), got {host!r}: the endpoint runs code in "
            "the editor, so it must not be reachable from the network")
    return host, port


def check(headers: Headers, scheme: str, settings: Settings, token: Optional[str]) -> None:
    """Raise ApiError for a request the bridge itself would refuse."""
    host = headers.get("host", "")
    if not is_loopback_host(host):
        raise ApiError(403, "FORBIDDEN", f"Host '{host}' is not a loopback name; the MCP endpoint answers only to "
                                         "localhost, 127.0.0.1 or [::1] (this blocks DNS-rebinding pages)")
    origin = headers.get("origin")
    if origin is not None and not origin_allowed(origin, host, scheme, settings):
        raise ApiError(403, "FORBIDDEN", f"Origin '{origin}' is not allowed: web pages may not drive the editor. "
                       "If you trust it, add it to the bridge's allowed_origins (UE_BRIDGE_ALLOWED_ORIGINS)")
    allowed = origin is not None and origin in settings.allowed_origins
    site = headers.get("sec-fetch-site", "").strip().lower()
    if site in OTHER_SITES and not allowed:
        raise ApiError(403, "FORBIDDEN", f"this request comes from another site's web page (Sec-Fetch-Site: "
                                         f"{site}) without an allowed Origin")
    mode = headers.get("sec-fetch-mode", "").strip().lower()
    if origin is None and mode in TAG_MODES:
        raise ApiError(403, "FORBIDDEN", f"a browser's {mode} request (a link, form or tag) may not use the MCP "
                                         "endpoint; an MCP client is not a browser")
    if token:
        check_token(headers.get("authorization", ""), token, service="MCP endpoint",
                    setting="token of the bridge: --token, UE_BRIDGE_TOKEN or the instance's token file")


class HttpPolicy:
    """ASGI middleware in front of the SDK's Streamable HTTP app: refused requests never reach it."""

    def __init__(self, app: ASGIApp, settings: Settings, token: Optional[str]) -> None:
        self.app = app
        self.settings = settings
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            try:
                check(Headers(scope=scope), scope.get("scheme", "http"), self.settings, self.token)
            except ApiError as refused:
                await _refuse(refused, send)
                return
        await self.app(scope, receive, send)


async def _refuse(refused: ApiError, send: Send) -> None:
    body = orjson.dumps(refused.body().model_dump())
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(name.lower().encode(), value.encode()) for name, value in refused.headers.items()]
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
