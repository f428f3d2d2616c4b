"""GET / and /ui/<path>: the dashboard's files from the package, with their types, caching and policy."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any, List, Tuple

import aiohttp
import pytest

from bridge.api.ui import AssetFiles
from bridge.host import BridgeHost

STATIC = Path(str(resources.files("bridge").joinpath("ui/static")))
IMPORT = re.compile(r"""(?:import|from)\s*(?:[\w{}\s,*]+from\s*)?['"](/ui/[^'"]+|\.{1,2}/[^'"]+)['"]""")


class ShellParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: List[Tuple[dict, str]] = []
        self.handlers: List[str] = []
        self._in_script: dict | None = None
        self._script_text = ""

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Any]]) -> None:
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self._in_script, self._script_text = dict(attrs), ""

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._script_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, self._script_text))
            self._in_script = None


async def test_the_shell_is_served_with_a_strict_policy(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    async with http.get("/") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        html = await response.text()
        headers = response.headers
    policy = headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert directives["connect-src"] == f"'self' ws://{bridge.url.split('://', 1)[1]}"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    parser = ShellParser()
    parser.feed(html)
    assert parser.scripts == [({"type": "module", "src": "/ui/js/app.js"}, "")]  # no inline script
    assert parser.handlers == []


@pytest.mark.parametrize(("path", "content_type"), [
    ("/ui/js/app.js", "text/javascript; charset=utf-8"),
    ("/ui/pages/console.js", "text/javascript; charset=utf-8"),
    ("/ui/css/app.css", "text/css; charset=utf-8"),
    ("/ui/img/icon.svg", "image/svg+xml"),
])
async def test_assets_have_their_types_and_revalidate(http: aiohttp.ClientSession, path: str,
                                                      content_type: str) -> None:
    async with http.get(path) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == content_type
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-cache"
        etag = response.headers["ETag"]
        assert (await response.read()) == (STATIC / path[len("/ui/"):]).read_bytes()
    async with http.get(path, headers={"If-None-Match": etag}) as response:
        assert response.status == 304 and await response.read() == b""
    async with http.get(path, headers={"If-None-Match": '"other"'}) as response:
        assert response.status == 200


async def test_every_module_a_page_imports_is_served(http: aiohttp.ClientSession) -> None:
    mine = [STATIC / "js" / name for name in ("app.js", "api.js", "live.js")] + sorted((STATIC / "pages").glob("*.js"))
    checked = set()
    for source in mine:
        for target in IMPORT.findall(source.read_text(encoding="utf-8")):
            url = target if target.startswith("/") else "/ui/" + str(
                (source.parent / target).resolve().relative_to(STATIC.resolve()))
            async with http.get(url) as response:
                assert response.status == 200, f"{source.name} imports {target}: {response.status}"
            checked.add(url)
    assert "/ui/js/api.js" in checked and "/ui/js/dom.js" in checked


@pytest.mark.parametrize("path", [
    "/ui/../pyproject.toml",
    "/ui/%2e%2e/%2e%2e/pyproject.toml",
    "/ui/js/..%2f..%2fapi%2fui.py",
    "/ui/js/%2e%2e/%2e%2e/%2e%2e/api/ui.py",
    "/ui/..%5c..%5capi%5cui.py",
    "/ui/.hidden",
    "/ui/js//app.js",
    "/ui/js/app.js%00.png",
    "/ui/js",
    "/ui/no-such-file.js",
    "/ui/%2fetc%2fpasswd",
])
async def test_nothing_outside_the_assets_is_served(http: aiohttp.ClientSession, path: str) -> None:
    async with http.get(path) as response:
        assert response.status == 404, path
        body = await response.json()
    assert body["error_code"] == "NOT_FOUND"


def test_a_link_out_of_the_asset_folder_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    (root / "ok.js").write_text("export {};\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (root / "leak.txt").symlink_to(secret)
    files = AssetFiles(root)
    served = files.get("ok.js")
    assert served is not None and served.content_type == "text/javascript; charset=utf-8"
    assert files.get("leak.txt") is None


def test_an_edited_file_is_served_anew(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("one")
    files = AssetFiles(tmp_path)
    first = files.get("a.js")
    (tmp_path / "a.js").write_text("two, longer")
    second = files.get("a.js")
    assert first is not None and second is not None
    assert (first.body, second.body) == (b"one", b"two, longer") and first.etag != second.etag


async def test_a_token_host_serves_the_dashboard_but_not_the_api(start_bridge: Any) -> None:
    host: BridgeHost = start_bridge(token="dash-token")
    async with aiohttp.ClientSession(base_url=host.url) as http:
        for path in ("/", "/ui/js/app.js", "/ui/pages/status.js"):
            async with http.get(path) as response:
                assert response.status == 200, path  # a browser opening a page cannot send the header
        async with http.get("/api/executions") as response:
            assert response.status == 401


async def test_the_dashboard_is_under_the_browser_policy(http: aiohttp.ClientSession) -> None:
    other_site = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"}
    async with http.get("/", headers=other_site) as response:
        assert response.status == 403
    async with http.get("/ui/js/api.js", headers={"Origin": "http://evil.example"}) as response:
        assert response.status == 403
    async with http.post("/ui/js/app.js", json={}) as response:
        assert response.status == 405


async def test_the_dashboard_is_no_api_operation(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/openapi.json") as response:
        paths = (await response.json())["paths"]
    assert not [path for path in paths if not path.startswith("/api/")]
