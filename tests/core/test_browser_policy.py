"""No browser can start a run: Fetch Metadata and Origin, driven with the headers real browsers send."""
from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
from pathlib import Path
from typing import Any, AsyncIterator, Dict, List, Optional, Tuple

import aiohttp
import pytest
from aiohttp import web

from bridge.host import BridgeHost
from tests.browser import CHROMIUM, CHROMIUM_ARGS, playwright_chromium

EVIL = "http://evil.example"
TOOLS = "http://tools.studio.local"
STREAM = "/api/v1/execute/stream?code=print(1)"
POLLING = "/socket.io/?EIO=4&transport=polling"
WEBSOCKET = "/socket.io/?EIO=4&transport=websocket"
CODE = {"code": "print('ran')"}

# What Chromium sends (seen with a capture server): a tag or a form aimed at another origin.
IMG_CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"}
SCRIPT_SAME_SITE = {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "script"}
IFRAME_CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"}
ADDRESS_BAR = {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document",
               "Sec-Fetch-User": "?1"}
IMG_SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"}
FETCH_CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}
FETCH_SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}
NO_CORS_FETCH = {"Origin": EVIL, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors",
                 "Sec-Fetch-Dest": "empty", "Content-Type": "text/plain;charset=UTF-8"}
FORM_POST = {"Origin": EVIL, "Content-Type": "text/plain", **IFRAME_CROSS_SITE}
EVENT_SOURCE = {"Origin": EVIL, "Accept": "text/event-stream", **FETCH_CROSS_SITE}

SITE_RULE, TAG_RULE, ORIGIN_RULE = "Sec-Fetch-Site", "without an Origin", "allowed_origins"

REFUSED: List[Tuple[str, str, Dict[str, str], str]] = [
    ("GET", STREAM, IMG_CROSS_SITE, SITE_RULE),  # <img src> on any web page: the report
    ("GET", STREAM, SCRIPT_SAME_SITE, SITE_RULE),  # <script src> on 127.0.0.1:<another port>
    ("GET", STREAM, IFRAME_CROSS_SITE, SITE_RULE),
    ("GET", STREAM, ADDRESS_BAR, TAG_RULE),  # a link followed, or the URL pasted
    ("GET", STREAM, IMG_SAME_ORIGIN, TAG_RULE),  # even on the bridge's own pages, a tag runs nothing
    ("GET", STREAM, EVENT_SOURCE, ORIGIN_RULE),
    ("GET", "/api/v1/health", IMG_CROSS_SITE, SITE_RULE),  # every route, not only the ones that run code
    ("POST", "/api/v1/python/execute", {"Sec-Fetch-Site": "cross-site"}, SITE_RULE),  # the report
    ("POST", "/api/v1/python/execute", {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}, TAG_RULE),
    ("POST", "/api/v1/python/execute", FORM_POST, ORIGIN_RULE),
    ("POST", "/api/v1/python/execute", NO_CORS_FETCH, ORIGIN_RULE),
    ("POST", "/api/v1/execute", FORM_POST, ORIGIN_RULE),
    ("POST", "/api/execute", NO_CORS_FETCH, ORIGIN_RULE),
    ("DELETE", "/api/v1/sessions/lesson-1", {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"}, SITE_RULE),
    ("DELETE", "/api/v1/sessions/lesson-1", {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "no-cors"},
     TAG_RULE),
    ("GET", POLLING, SCRIPT_SAME_SITE, SITE_RULE),
    ("GET", POLLING, IMG_SAME_ORIGIN, TAG_RULE),
    ("GET", POLLING, {"Origin": EVIL, **FETCH_CROSS_SITE}, ORIGIN_RULE),
    ("POST", POLLING + "&sid=x", FORM_POST, ORIGIN_RULE),
]


async def nothing_ran(http: aiohttp.ClientSession) -> None:
    """No editor job and no trace session exists, and no code-running route answered 2xx."""
    async with http.get("/api/v1/python/jobs") as response:
        assert (await response.json())["jobs"] == []
    async with http.get("/api/v1/sessions") as response:
        assert (await response.json())["total"] == 0
    async with http.get("/api/v1/metrics") as response:
        metrics = await response.text()
    for route in ("/api/v1/python/execute", "/api/v1/execute/stream", "/api/v1/execute", "/api/execute"):
        assert not re.search(rf'route="{re.escape(route)}",status="2\d\d"', metrics), route


@pytest.mark.parametrize(("method", "path", "headers", "rule"), REFUSED,
                         ids=[f"{m} {p.split('?')[0]} {h.get('Sec-Fetch-Mode', '')} {h.get('Sec-Fetch-Site', '')}"
                              f"{' Origin' if 'Origin' in h else ''}" for m, p, h, _ in REFUSED])
async def test_browser_request_is_refused(http: aiohttp.ClientSession, method: str, path: str,
                                          headers: Dict[str, str], rule: str) -> None:
    body: Any = json.dumps(CODE) if method == "POST" else None
    headers = {"Content-Type": "application/json", **headers} if body is not None else headers
    async with http.request(method, path, data=body, headers=headers) as response:
        reply = await response.json()
    assert response.status == 403 and reply["error_code"] == "FORBIDDEN", reply
    assert rule in reply["error"]
    assert "Access-Control-Allow-Origin" not in response.headers
    await nothing_ran(http)


async def read_stream(response: aiohttp.ClientResponse) -> str:
    """The whole SSE body (bounded)."""
    return (await asyncio.wait_for(response.read(), 60)).decode()


@pytest.mark.parametrize("headers", [{}, FETCH_SAME_ORIGIN, {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "cors"}],
                         ids=["curl", "same-origin EventSource", "none"])
async def test_stream_runs_for_tools_and_own_pages(http: aiohttp.ClientSession, headers: Dict[str, str]) -> None:
    async with http.get(STREAM, headers=headers) as response:
        assert response.status == 200 and response.content_type == "text/event-stream"
        assert "event: complete" in await read_stream(response)


@pytest.mark.parametrize(("fetch", "own_origin"), [({}, False), (FETCH_SAME_ORIGIN, True),
                                                   ({"Sec-Fetch-Site": "none"}, False)],
                         ids=["curl", "own page", "none"])
async def test_execute_runs_for_tools_and_own_pages(http: aiohttp.ClientSession, bridge: BridgeHost,
                                                    fetch: Dict[str, str], own_origin: bool) -> None:
    # A page's fetch() POST carries its Origin; the bridge's own page sends the bridge's.
    headers = {**fetch, "Origin": bridge.url} if own_origin else fetch
    async with http.post("/api/v1/python/execute", json=CODE, headers=headers) as response:
        assert response.status == 200 and (await response.json())["output"] == "ran\n"


async def test_reading_routes_stay_open_to_a_navigation(http: aiohttp.ClientSession) -> None:
    for path in ("/api/v1/health", "/api/docs", "/api/openapi.json"):
        async with http.get(path, headers=ADDRESS_BAR) as response:
            assert response.status == 200, path
    async with http.delete("/api/v1/sessions/lesson-1") as response:  # curl: refused for a reason of its own
        assert response.status == 404


async def test_allowed_origin_passes_cross_site(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(allowed_origins=[TOOLS])
    async with aiohttp.ClientSession(base_url=host.url) as http:
        headers = {"Origin": TOOLS, **FETCH_CROSS_SITE}
        async with http.post("/api/v1/python/execute", json=CODE, headers=headers) as response:
            assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == TOOLS
        async with http.get(STREAM, headers=headers) as response:
            assert response.status == 200 and "event: complete" in await read_stream(response)
        async with http.get(POLLING, headers=headers) as response:
            assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == TOOLS
        # The allow-list names a page, not a site: the same page's <img> carries no Origin and is refused.
        async with http.get(STREAM, headers=IMG_CROSS_SITE) as response:
            assert response.status == 403


async def test_socketio_polling_handshake(http: aiohttp.ClientSession) -> None:
    for headers in ({}, FETCH_SAME_ORIGIN):  # curl, and the bridge's own page (same-origin GET: no Origin)
        async with http.get(POLLING, headers=headers) as response:
            assert response.status == 200 and (await response.text()).startswith("0{")


async def open_packet(ws: aiohttp.ClientWebSocketResponse) -> str:
    message = await asyncio.wait_for(ws.receive(), 10)
    return str(message.data)


@pytest.mark.parametrize(("origin", "headers"), [(EVIL, {}), (None, {"Sec-Fetch-Site": "cross-site"}),
                                                 ("null", {})], ids=["evil", "cross-site", "null"])
async def test_websocket_upgrade_is_refused(http: aiohttp.ClientSession, origin: Optional[str],
                                            headers: Dict[str, str]) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
        await http.ws_connect(WEBSOCKET, origin=origin, headers=headers)
    assert caught.value.status == 403


async def test_websocket_upgrade_from_tools_and_own_pages(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(allowed_origins=[TOOLS])
    async with aiohttp.ClientSession(base_url=host.url) as http:
        # Same origin keeps working with an allow-list set (Engine.IO's own list check dropped it).
        for origin in (None, host.url, TOOLS):
            async with http.ws_connect(WEBSOCKET, origin=origin) as ws:
                assert (await open_packet(ws)).startswith("0{"), origin


# --- a real browser on a hostile page ---------------------------------------------------------------

def write_marker(marker: Path) -> str:
    """Editor code that proves it ran: editor jobs run in the server process and can write the test's files."""
    return f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')"


def hostile_page(bridge: str, marker: Path) -> str:
    """Every way a page can aim at the bridge without being allowed: tags, forms, no-cors fetch, EventSource."""
    editor = json.dumps({"code": write_marker(marker)})
    trace = "/api/v1/execute/stream?code=print(1)"
    tags = (f'<img src="{bridge}{trace}&n=i"><script src="{bridge}{trace}&n=s"></script>'
            f'<iframe src="{bridge}{trace}&n=f"></iframe>'
            f'<img src="{bridge}{POLLING}&n=i"><script src="{bridge}{POLLING}&n=s"></script>')
    # text/plain sends `name=value`: split so, the body reads as JSON: {"code": ..., "x": "="}.
    name, value = html.escape(editor[:-1] + ', "x": "'), html.escape('"}')
    forms = ""
    for n, (path, enctype) in enumerate([("/api/v1/python/execute", "text/plain"),
                                         ("/api/v1/python/execute", "application/x-www-form-urlencoded"),
                                         ("/api/v1/execute", "text/plain"), ("/api/execute", "text/plain"),
                                         (POLLING + "&sid=x", "text/plain")]):
        forms += (f'<iframe name="sink{n}"></iframe><form method="POST" action="{bridge}{path}" '
                  f'enctype="{enctype}" target="sink{n}"><input name="{name}" value="{value}"></form>')
    script = f"""
    const bridge = {json.dumps(bridge)}, body = {json.dumps(editor)};
    for (const path of ["/api/v1/python/execute", "/api/v1/execute", "/api/execute", {json.dumps(POLLING)}]) {{
      fetch(bridge + path, {{mode: "no-cors", method: "POST", body,
                            headers: {{"Content-Type": "application/json"}}}}).catch(() => {{}});
    }}
    const events = new EventSource(bridge + {json.dumps(trace)} + "&n=es");
    events.onerror = () => events.close();
    new WebSocket(bridge.replace("http", "ws") + {json.dumps(WEBSOCKET)});
    for (const form of document.forms) form.submit();
    """
    return f"<!doctype html><html><body>{tags}{forms}<script>{script}</script></body></html>"


# Requests the page above makes that reach a code-running route: (method, route), at least once each.
HOSTILE_HITS = {("GET", "/api/v1/execute/stream"), ("GET", "/socket.io/"), ("POST", "/socket.io/"),
                ("POST", "/api/v1/python/execute"), ("POST", "/api/v1/execute"), ("POST", "/api/execute")}
REQUESTS = re.compile(r'bridge_http_requests_total\{method="(\w+)",route="([^"]+)",status="(\d+)"\} (\S+)')


async def statuses(http: aiohttp.ClientSession) -> Dict[Tuple[str, str], Dict[str, float]]:
    """From the bridge's Prometheus counters: {(method, route): {status: count}}."""
    async with http.get("/api/v1/metrics") as response:
        text = await response.text()
    found: Dict[Tuple[str, str], Dict[str, float]] = {}
    for method, route, status, count in REQUESTS.findall(text):
        found.setdefault((method, route), {})[status] = float(count)
    return found


@contextlib.asynccontextmanager
async def page_server(html_text: str) -> AsyncIterator[int]:
    """Serves one page at `/` on a second loopback port: another origin, as a web page you visit is."""

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=html_text, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    finally:
        await runner.cleanup()


@pytest.fixture
async def hostile_server(bridge: BridgeHost, tmp_path: Path) -> AsyncIterator[Tuple[int, Path]]:
    """The hostile page's port and the marker file it tries to create."""
    marker = tmp_path / "marker"
    async with page_server(hostile_page(bridge.url, marker)) as port:
        yield port, marker


@pytest.mark.slow
async def test_hostile_page_in_chromium_runs_nothing(bridge: BridgeHost, http: aiohttp.ClientSession,
                                                     hostile_server: Tuple[int, Path], tmp_path: Path) -> None:
    async_playwright = playwright_chromium()
    port, marker = hostile_server
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            # 127.0.0.1:<other port> is same-site with the bridge (Sec-Fetch-Site: same-site); localhost is
            # another site (cross-site). Both are a web page the user happened to open.
            for page_host in ("127.0.0.1", "localhost"):
                before = await statuses(http)
                page = await browser.new_page()
                await page.goto(f"http://{page_host}:{port}/")
                for _ in range(150):  # bounded: until every kind of request has reached the bridge
                    now = await statuses(http)
                    if all(now.get(hit, {}).get("403", 0) > before.get(hit, {}).get("403", 0)
                           for hit in HOSTILE_HITS):
                        break
                    await asyncio.sleep(0.1)
                await page.close()
                for hit in HOSTILE_HITS:
                    got = now.get(hit, {})
                    assert got.get("403", 0) > before.get(hit, {}).get("403", 0), (page_host, hit, now)
                    assert set(got) == {"403"}, (page_host, hit, got)  # nothing else answered
            assert not marker.exists()
            await nothing_ran(http)

            # The bridge's own page (same origin) still uses the API.
            page = await browser.new_page()
            await page.goto(f"{bridge.url}/api/docs")
            code = write_marker(marker)
            reply = await page.evaluate(
                """async (code) => {
                    const health = await fetch("/api/v1/health");
                    const run = await fetch("/api/v1/python/execute", {method: "POST",
                        headers: {"Content-Type": "application/json"}, body: JSON.stringify({code})});
                    const streamed = await new Promise((done) => {
                        const events = new EventSource("/api/v1/execute/stream?code=print(2)");
                        events.addEventListener("complete", () => { events.close(); done(true); });
                        events.onerror = () => { events.close(); done(false); };
                    });
                    return {health: health.status, run: run.status, streamed};
                }""",
                code,
            )
            assert reply == {"health": 200, "run": 200, "streamed": True}
            assert marker.read_text() == "ran"  # the harness does see a run when one happens
            # A link to a code-running URL, followed or pasted, runs nothing even on the bridge's origin.
            response = await page.goto(f"{bridge.url}/api/v1/execute/stream?code=print(3)")
            assert response is not None and response.status == 403
        finally:
            await browser.close()


@pytest.mark.slow
async def test_trusted_page_on_the_allow_list_may_call(start_bridge, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async_playwright = playwright_chromium()

    async with page_server("<!doctype html><title>tools</title>") as port:
        trusted = f"http://localhost:{port}"
        host: BridgeHost = start_bridge(allowed_origins=[trusted])
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                tab = await browser.new_page()
                await tab.goto(trusted + "/")
                reply = await tab.evaluate(
                    """async (bridge) => {
                        const run = await fetch(bridge + "/api/v1/python/execute", {method: "POST",
                            headers: {"Content-Type": "application/json"}, body: JSON.stringify({code: "print(6*7)"})});
                        return {status: run.status, output: (await run.json()).output};
                    }""",
                    host.url,
                )
                assert reply == {"status": 200, "output": "42\n"}
            finally:
                await browser.close()
