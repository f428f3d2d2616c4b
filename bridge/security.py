"""Request guards: loopback Host (DNS rebinding), Origin allow-list, bearer token, JSON-only bodies."""
from __future__ import annotations

import functools
import hmac
import ipaddress
import os
import secrets
from pathlib import Path
from typing import Optional

from aiohttp import web

from .config import Settings
from .errors import ApiError

# Probes must work without a token; they reveal no code or output.
TOKEN_EXEMPT_PATHS = frozenset({"/api/v1/health", "/api/v1/ready", "/api/health"})
# Engine.IO's polling transport posts text/plain; its own handshake and the Origin check guard it.
JSON_EXEMPT_PREFIXES = ("/socket.io/",)
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


@functools.lru_cache(maxsize=256)
def is_loopback_host(host: str) -> bool:
    """True for `localhost`, `127.x.x.x`, `::1` and `[::1]`, with or without a port."""
    name = host.strip().lower()
    if name.startswith("["):
        name = name[1:].split("]", 1)[0]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    if name in ("localhost", "localhost.") or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


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
    if settings.token and request.path not in TOKEN_EXEMPT_PATHS:
        check_token(request.headers.get("Authorization", ""), settings.token)
    if request.method in BODY_METHODS and not request.path.startswith(JSON_EXEMPT_PREFIXES):
        if request.content_type != "application/json":
            raise ApiError(
                415, "UNSUPPORTED_MEDIA_TYPE",
                f"request body must be JSON: send 'Content-Type: application/json' (got '{request.content_type}')",
            )
        length = request.content_length
        if length is not None and length > settings.max_body_bytes:
            raise ApiError(
                413, "PAYLOAD_TOO_LARGE",
                f"request body of {length} bytes is over the {settings.max_body_bytes} byte limit "
                "(setting max_body_bytes)",
            )


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
