"""The dashboard: `GET /` serves its shell, `GET /ui/<path>` its static assets, from the package itself."""
from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Optional, Set, Tuple

from aiohttp import web

from .errors import ApiError

if TYPE_CHECKING:
    from importlib.abc import Traversable

ASSET_ROOT = "ui/static"
SHELL = "index.html"
# Explicit, not mimetypes: the system's table differs between machines (.js as application/javascript or
# text/plain), and a module script served as anything but JavaScript is refused by the browser.
CONTENT_TYPES: Dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
# No build step gives the files versioned names, so the browser revalidates every time; the ETag makes
# that a 304 without a body.
CACHE_CONTROL = "no-cache"
SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
# Host is already checked (loopback, or any with a token): still, only a plain host[:port] goes into a header.
PLAIN_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


@dataclass(frozen=True)
class Asset:
    body: bytes
    etag: str
    content_type: str


class AssetFiles:
    """The package's dashboard files, read once per change (an editable install serves edits at once)."""

    def __init__(self, root: Traversable) -> None:
        self.root = root
        self._cache: Dict[str, Tuple[Tuple[int, int], Asset]] = {}

    def get(self, relative: str) -> Optional[Asset]:
        """The asset at a `/`-separated path below the root, or None when there is none (or it is not safe)."""
        parts = relative.split("/")
        if not relative or any(SEGMENT.fullmatch(part) is None for part in parts):
            return None  # "..", ".hidden", "", backslashes, NUL, %-escapes decoded to anything odd
        node = self.root
        for part in parts:
            node = node.joinpath(part)
        if not node.is_file() or _leaves(node, self.root):
            return None
        stamp = _stamp(node)
        cached = self._cache.get(relative)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        body = node.read_bytes()
        extension = posixpath.splitext(relative)[1].lower()
        asset = Asset(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"',
                      CONTENT_TYPES.get(extension, "application/octet-stream"))
        self._cache[relative] = (stamp, asset)
        return asset


def _leaves(node: Traversable, root: Traversable) -> bool:
    """True for a file on disk that a symbolic link takes out of the asset folder."""
    if not isinstance(node, Path) or not isinstance(root, Path):
        return False
    return root.resolve() not in node.resolve().parents


def _stamp(node: Traversable) -> Tuple[int, int]:
    """(mtime_ns, size) of a file on disk; a file inside a zip never changes."""
    if not isinstance(node, Path):
        return (0, 0)
    info = node.stat()
    return (info.st_mtime_ns, info.st_size)


ASSETS: web.AppKey[AssetFiles] = web.AppKey("dashboard_assets", AssetFiles)


def content_security_policy(request: web.Request) -> str:
    """The shell's policy: everything from the bridge itself, no inline script, no framing by other pages."""
    host = request.headers.get("Host", "")
    socket = ""
    if PLAIN_HOST.fullmatch(host):
        socket = f" {'wss' if request.scheme == 'https' else 'ws'}://{host}"
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            f"font-src 'self'; connect-src 'self'{socket}; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")


def serve(request: web.Request, relative: str) -> web.Response:
    asset = request.app[ASSETS].get(relative)
    if asset is None:
        raise ApiError(404, "NOT_FOUND", f"the dashboard has no file {relative!r}; open / for the dashboard")
    headers = {
        "ETag": asset.etag,
        "Cache-Control": CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    if asset.content_type.startswith("text/html"):
        headers["Content-Security-Policy"] = content_security_policy(request)
        headers["X-Frame-Options"] = "DENY"
    if asset.etag in _etags(request.headers.get("If-None-Match", "")):
        return web.Response(status=304, headers=headers)
    return web.Response(body=asset.body, headers={**headers, "Content-Type": asset.content_type})


def _etags(header: str) -> Set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


async def shell(request: web.Request) -> web.Response:
    return serve(request, SHELL)


async def asset(request: web.Request) -> web.Response:
    return serve(request, request.match_info["path"])


def setup(app: web.Application) -> None:
    app[ASSETS] = AssetFiles(resources.files("bridge").joinpath(ASSET_ROOT))
    # Not in the OpenAPI document: a web page and its files are no API operation (the dashboard only calls the
    # documented ones). The request policy checks them like any GET; they need no token (security.py).
    app.router.add_get("/", shell)
    app.router.add_get("/ui/{path:.+}", asset)
