"""`ue-bridge mcp --http`: the SDK's Streamable HTTP client, and the bridge's request policy in front of it."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Dict, Optional

import aiohttp
import httpx2
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from bridge.host import BridgeHost
from tests.conftest import BridgeFactory

from .conftest import UE_BRIDGE, mcp_http, structured, text_of

pytestmark = pytest.mark.slow
EVIL = "http://evil.example"
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
ACCEPT = {"Accept": "application/json, text/event-stream"}


async def post(url: str, headers: Dict[str, str]) -> Any:
    """The status, and the JSON body of a refusal (the SDK's own answer is an event stream: its text)."""
    async with aiohttp.ClientSession() as http, http.post(url, json=INITIALIZE, headers={**ACCEPT, **headers}) as r:
        text = await r.text()
        return r.status, json.loads(text) if r.content_type == "application/json" else text


async def call(url: str, headers: Optional[Dict[str, str]] = None) -> Any:
    async with httpx2.AsyncClient(headers=headers or {}, timeout=30) as client, \
            streamable_http_client(url, http_client=client) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        tools = {tool.name for tool in (await session.list_tools()).tools}
        return tools, await session.call_tool("execute_python", {"code": "6 * 7"})


async def test_streamable_http_serves_the_tools(bridge: BridgeHost, mcp_log: Path) -> None:
    with mcp_http(mcp_log, "--url", bridge.url) as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/mcp")
        tools, result = await call(url)
        assert {"execute_python", "list_assets"} <= tools
        assert result.is_error is False and structured(result)["result"] == "42"
        assert bridge.history.get(structured(result)["job_id"]) is not None


async def test_a_web_page_cannot_reach_the_endpoint(bridge: BridgeHost, mcp_log: Path) -> None:
    with mcp_http(mcp_log, "--url", bridge.url) as url:
        port = url.split(":")[2].split("/")[0]
        for headers, words in (
            ({"Origin": EVIL}, "Origin 'http://evil.example' is not allowed"),
            ({"Host": f"evil.example:{port}"}, "is not a loopback name"),
            ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}, "another site's web page"),
            ({"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}, "navigate request"),
        ):
            status, body = await post(url, headers)
            assert status == 403 and body["error_code"] == "FORBIDDEN" and words in body["error"], (headers, body)
        # Without any of those (an MCP client, curl), the SDK answers.
        status, body = await post(url, {})
        assert status == 200 and '"serverInfo":{"name":"ue-bridge"' in body.replace(" ", ""), body
        assert not bridge.history.live()


async def test_an_origin_the_bridge_allows_is_allowed(bridge: BridgeHost, mcp_log: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UE_BRIDGE_ALLOWED_ORIGINS", '["http://tools.studio.local"]')  # the bridge's own setting
    with mcp_http(mcp_log, "--url", bridge.url) as url:
        _, result = await call(url, {"Origin": "http://tools.studio.local"})
        assert structured(result)["result"] == "42"
        status, _ = await post(url, {"Origin": EVIL})
        assert status == 403


async def test_the_endpoint_asks_for_the_bridges_token(start_bridge: BridgeFactory, mcp_log: Path) -> None:
    bridge = start_bridge(token="s3cret-token")
    with mcp_http(mcp_log, "--url", bridge.url, "--token", "s3cret-token") as url:
        status, body = await post(url, {})
        assert status == 401 and body["error_code"] == "UNAUTHORIZED" and "Authorization: Bearer" in body["error"]
        status, body = await post(url, {"Authorization": "Bearer guessed"})
        assert status == 401 and "not valid" in body["error"]
        _, result = await call(url, {"Authorization": "Bearer s3cret-token"})
        assert result.is_error is False, text_of(result)
        assert structured(result)["result"] == "42"


def test_http_binds_loopback_only(tmp_path: Path) -> None:
    for address, words in (("0.0.0.0:8765", "binds loopback only"), ("192.168.1.5:0", "binds loopback only"),
                           ("nine", "takes [HOST:]PORT"), ("70000", "between 0 and 65535")):
        done = subprocess.run([UE_BRIDGE, "mcp", "--http", address], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and words in done.stderr, (address, done.stderr)
