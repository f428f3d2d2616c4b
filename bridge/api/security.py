"""Request guards: loopback Host (DNS rebinding), Origin allow-list, Fetch Metadata, bearer token, bodies."""
from __future__ import annotations

import asyncio
import hmac
import mmap
import os
import secrets
from pathlib import Path
from typing import Optional

from aiohttp import hdrs, web

from ..config import Settings
from ..loopback import is_loopback_host
from .errors import ApiError

# Probes must work without a token; they reveal no code or output. Nor does the dashboard's shell or its
# files (/ and /ui/...), and a browser opening a page cannot send a header: the page then asks for the token.
TOKEN_EXEMPT_PATHS = frozenset({"/api/v1/health", "/api/v1/ready", "/api/health", "/"})
TOKEN_EXEMPT_PREFIXES = ("/ui/",)
# A browser's WebSocket cannot send Authorization; the one header its page controls is the subprotocol list,
# so the dashboard offers `bearer, <token>` there (no cookie, no query string: those leak into logs and
# history). Only /api/ws takes it, and the handler echoes `bearer`, as the handshake requires.
WEBSOCKET_TOKEN_PATHS = frozenset({"/api/ws"})
WEBSOCKET_TOKEN_PROTOCOL = "bearer"
# Engine.IO's polling transport posts text/plain; its own handshake and the Origin check guard it.
JSON_EXEMPT_PREFIXES = ("/socket.io/",)
# The one route whose body is not JSON: an artifact upload, multipart/form-data, streamed to disk by its
# handler within history.artifact_max_bytes (plus room for the form's other fields), never read whole here.
MULTIPART_ROUTES = frozenset({("POST", "/api/artifacts")})
MULTIPART_OVERHEAD_BYTES = 1024 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

# Fetch Metadata (w3c.github.io/webappsec-fetch-metadata): every current browser says where a request
# came from, and a page cannot forge these headers. curl, CI and tools send none of them.
OTHER_SITES = frozenset({"cross-site", "same-site"})
# What a page sends with no script and no CORS check: <img>, <script>, <link>, a form, a link, a redirect.
TAG_MODES = frozenset({"no-cors", "navigate"})
STATE_CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# GET routes that run code: an <img src> or EventSource reaches them like a POST would. A new GET route
# that runs code or changes state must be added here, or a tag on any page can start it. The monitor's GETs
# (/api/executions, /api/artifacts/{id}/download, /api/health/*) only read; /api/ws only reads and
# subscribes, and a browser always sends an Origin with a WebSocket handshake.
CODE_RUNNING_GET_PATHS = frozenset({"/api/v1/execute/stream"})
CODE_RUNNING_GET_PREFIXES = ("/socket.io/",)  # the Engine.IO handshake opens a session that runs code


def check_request(request: web.Request, settings: Settings) -> None:
    """Raise ApiError for a request the bridge must refuse."""
    host = request.headers.get("Host", "")
    if settings.is_loopback and not is_loopback_host(host):
        raise ApiError(
            403, "FORBIDDEN",
            f"Host '{host}' is not a loopback name; the bridge answers only to localhost, 127.0.0.1 or [::1] "
            "(this blocks DNS-rebinding attacks from web pages)",
        )
    origin = request.headers.get("Origin")
    if origin is not None and not origin_allowed(origin, host, request.scheme, settings):
        raise ApiError(
            403, "FORBIDDEN",
            f"Origin '{origin}' is not allowed: web pages may not run code in the editor. "
            "If you trust it, add it to allowed_origins (UE_BRIDGE_ALLOWED_ORIGINS='[\"" + origin + "\"]')",
        )
    check_fetch_metadata(request, settings)
    if settings.token and not token_exempt(request.path):
        check_token(presented_authorization(request), settings.token)
    if takes_multipart(request):
        check_multipart(request, settings)
    elif request.method in BODY_METHODS and not request.path.startswith(JSON_EXEMPT_PREFIXES):
        # A POST with no body (`curl -X POST .../api/health/optimize`; aiohttp's client labels it octet-stream)
        # has nothing to parse. A form always sends a form Content-Type, so no page's form gets through here.
        labelled = request.headers.get(hdrs.CONTENT_TYPE, "application/octet-stream")
        bodiless = not request.body_exists and labelled == "application/octet-stream"
        if request.content_type != "application/json" and not bodiless:
            raise ApiError(
                415, "UNSUPPORTED_MEDIA_TYPE",
                f"request body must be JSON: send 'Content-Type: application/json' (got '{request.content_type}')",
            )
        length = request.content_length
        if length is not None and length > settings.max_body_bytes:
            raise body_too_large(f"request body of {length} bytes", settings.max_body_bytes)


def token_exempt(path: str) -> bool:
    return path in TOKEN_EXEMPT_PATHS or path.startswith(TOKEN_EXEMPT_PREFIXES)


def presented_authorization(request: web.Request) -> str:
    """The Authorization header, or for a WebSocket handshake of /api/ws without one, the token offered as
    the subprotocols `bearer, <token>`, worded as that header would be."""
    header = request.headers.get("Authorization", "")
    if header or request.path not in WEBSOCKET_TOKEN_PATHS or request.headers.get("Upgrade", "").lower() != "websocket":
        return header
    offered = [part.strip() for part in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
    # Exactly `bearer` (case and all): aiohttp picks the echoed protocol by exact match, and logs the
    # offered list when none matches, which must never happen to a list that carries the token.
    if len(offered) == 2 and offered[0] == WEBSOCKET_TOKEN_PROTOCOL and offered[1]:
        return f"Bearer {offered[1]}"
    return ""


def takes_multipart(request: web.Request) -> bool:
    return (request.method, request.path) in MULTIPART_ROUTES


def check_multipart(request: web.Request, settings: Settings) -> None:
    if request.content_type != "multipart/form-data":
        raise ApiError(
            415, "UNSUPPORTED_MEDIA_TYPE",
            f"an upload must be multipart/form-data (got '{request.content_type}'): "
            "curl -F execution_id=... -F name=... -F file=@report.html",
        )
    limit = settings.history.artifact_max_bytes + MULTIPART_OVERHEAD_BYTES
    length = request.content_length
    if length is not None and length > limit:
        raise ApiError(413, "PAYLOAD_TOO_LARGE",
                       f"the upload of {length} bytes is over the {limit} byte limit "
                       "(setting history.artifact_max_bytes, plus room for the form fields)")


def runs_code(request: web.Request) -> bool:
    """True for a route that runs code or changes state: every POST/PUT/PATCH/DELETE and the GETs listed above."""
    if request.method in STATE_CHANGING_METHODS:
        return True
    return request.path in CODE_RUNNING_GET_PATHS or request.path.startswith(CODE_RUNNING_GET_PREFIXES)


def check_fetch_metadata(request: web.Request, settings: Settings) -> None:
    """Refuse what a browser marks as sent by another site's page, or by a tag aimed at a code-running route."""
    origin = request.headers.get("Origin")
    if origin is not None and origin in settings.allowed_origins:
        return
    site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    if site in OTHER_SITES:
        raise ApiError(
            403, "FORBIDDEN",
            f"this request comes from a web page of another origin (Sec-Fetch-Site: {site}) without an allowed Origin: "
            "web pages may not use the bridge. If you trust the page, add its origin to allowed_origins "
            "(UE_BRIDGE_ALLOWED_ORIGINS='[\"http://tools.example:3000\"]') and call the bridge with fetch()",
        )
    mode = request.headers.get("Sec-Fetch-Mode", "").strip().lower()
    if origin is None and mode in TAG_MODES and runs_code(request):
        raise ApiError(
            403, "FORBIDDEN",
            f"{request.method} {request.path} runs code or changes state, and this request is a browser's "
            f"{mode} request (a link, form, <img> or <script>) without an Origin, which any page can aim at "
            "the bridge unseen; call it with fetch() from the page, or from a tool that is not a browser",
        )


async def read_body(request: web.Request, settings: Settings) -> None:
    """Read a request body within max_body_bytes and body_timeout_seconds, or refuse it; handlers then reuse it."""
    if (request.method not in BODY_METHODS or not request.body_exists or request.path.startswith(JSON_EXEMPT_PREFIXES)
            or takes_multipart(request)):
        return
    try:
        if request.content_length is not None:  # already checked against the limit
            await asyncio.wait_for(request.read(), settings.body_timeout_seconds)
        else:
            body = await asyncio.wait_for(_read_unsized(request, settings.max_body_bytes),
                                          settings.body_timeout_seconds)
            if body is None:
                raise body_too_large("the request body (sent without Content-Length)", settings.max_body_bytes)
            request._read_bytes = body  # what request.read() caches (aiohttp 3.0 to 3.14): handlers read it
    except asyncio.TimeoutError:
        raise ApiError(
            408, "REQUEST_TIMEOUT",
            f"the request body did not arrive within {settings.body_timeout_seconds:g} s "
            "(setting body_timeout_seconds); send the whole body at once",
        ) from None


async def _read_unsized(request: web.Request, limit: int) -> Optional[bytes]:
    """The body, or None once it passes `limit` bytes."""
    # A body without Content-Length (chunked) is staged in an anonymous mapping, not on the heap: aiohttp's
    # own read() grows a heap buffer to the limit first, and when the body is refused that memory stays
    # with the allocator (measured: +20 MB RSS for 20 refused 50 MB bodies); an unmapped page goes back.
    # None rather than raising: an exception kept in wait_for's task forms a cycle with its frames, which
    # holds the request and its buffers until the cyclic GC runs (measured: +6 MB more).
    with mmap.mmap(-1, limit) as staging:
        size = 0
        while True:
            chunk = await request.content.readany()
            if not chunk:
                return staging[:size]
            size += len(chunk)
            if size > limit:
                return None
            staging.write(chunk)


def body_too_large(what: str, limit: int) -> ApiError:
    return ApiError(413, "PAYLOAD_TOO_LARGE",
                    f"{what} is over the {limit} byte limit (setting max_body_bytes)")


def origin_allowed(origin: str, host: str, scheme: str, settings: Settings) -> bool:
    if origin in settings.allowed_origins:
        return True
    # The bridge's own pages (/api/docs) are same-origin; Host was already checked.
    return origin == f"{scheme}://{host}"


def check_token(header: str, token: str, service: str = "bridge", setting: str = "token") -> None:
    """Raise 401 unless `header` is `Bearer <token>` (constant-time compare)."""
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not presented:
        raise ApiError(401, "UNAUTHORIZED", f"this {service} requires 'Authorization: Bearer <token>' "
                       f"(the {setting} setting)", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(presented.strip().encode(), token.encode()):
        raise ApiError(401, "UNAUTHORIZED", f"the bearer token is not valid for this {service}",
                       headers={"WWW-Authenticate": "Bearer"})


def cors_headers(request: web.Request, settings: Settings) -> Optional[dict]:
    """CORS headers for an explicitly allowed cross-origin caller, else None."""
    origin = request.headers.get("Origin")
    if origin is None or origin not in settings.allowed_origins:
        return None
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Authorization",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }


def ensure_token(settings: Settings, default_file: Path) -> Optional[Path]:
    """Binding beyond loopback needs a token: use the configured one, or read or create a 0600 token file.

    Returns the token file's path when one is in use; sets `settings.token`.
    """
    if settings.token:
        return None
    if settings.is_loopback and settings.token_file is None:
        return None
    path = settings.token_file or default_file
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        if not token:
            raise ValueError(f"token file {path} is empty; delete it to have a new token generated")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(token + "\n")
    settings.token = token
    return path
