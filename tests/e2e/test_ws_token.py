"""A browser's WebSocket presents the token as the subprotocols `bearer, <token>`: only on /api/ws, only exactly."""
from __future__ import annotations

import logging
from typing import Any, Dict, Sequence

import aiohttp
import pytest

from bridge.host import BridgeHost

from .conftest import receive

TOKEN = "ws-test-token"


@pytest.fixture
def token_host(start_bridge: Any) -> BridgeHost:
    host: BridgeHost = start_bridge(token=TOKEN)
    return host


async def handshake_status(url: str, path: str = "/api/ws", protocols: Sequence[str] = (),
                           headers: Dict[str, str] | None = None, origin: str | None = None) -> int:
    """The status of a refused handshake (101 when it was accepted)."""
    async with aiohttp.ClientSession(base_url=url) as http:
        try:
            async with http.ws_connect(path, protocols=protocols, headers=headers, origin=origin):
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


async def test_the_token_as_subprotocols_opens_the_socket(token_host: BridgeHost) -> None:
    async with aiohttp.ClientSession(base_url=token_host.url) as http, http.ws_connect(
            "/api/ws", protocols=("bearer", TOKEN), origin=token_host.url) as ws:
        assert ws.protocol == "bearer"  # echoed: a browser drops a socket whose offer is not answered
        assert (await receive(ws))["type"] == "connection_established"


async def test_the_authorization_header_still_works(token_host: BridgeHost) -> None:
    assert await handshake_status(token_host.url, headers={"Authorization": f"Bearer {TOKEN}"}) == 101


@pytest.mark.parametrize("protocols", [
    (),  # none at all
    ("bearer", "wrong-token"),
    ("bearer", TOKEN + "x"),
    ("Bearer", TOKEN),  # exactly `bearer`: anything else would be matched by nothing and logged
    ("bearer", TOKEN, "chat"),
    (TOKEN,),
    ("bearer",),
])
async def test_a_missing_or_wrong_token_is_refused(token_host: BridgeHost, protocols: Sequence[str],
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    assert await handshake_status(token_host.url, protocols=protocols) == 401
    assert TOKEN not in caplog.text  # the token is never logged, refused or not


async def test_the_right_token_from_a_foreign_page_is_refused(token_host: BridgeHost) -> None:
    # A page elsewhere that learnt the token still cannot open the socket: its Origin is not allowed.
    assert await handshake_status(token_host.url, protocols=("bearer", TOKEN), origin="http://evil.example") == 403
    site = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "websocket"}
    assert await handshake_status(token_host.url, protocols=("bearer", TOKEN), headers=site) == 403


async def test_only_the_event_socket_takes_the_token_that_way(token_host: BridgeHost) -> None:
    assert await handshake_status(token_host.url, "/socket.io/?EIO=4&transport=websocket",
                                  protocols=("bearer", TOKEN)) == 401
    async with aiohttp.ClientSession(base_url=token_host.url) as http, http.get(
            "/api/executions", headers={"Sec-WebSocket-Protocol": f"bearer, {TOKEN}"}) as response:
        assert response.status == 401  # not an upgrade: the header means nothing on a plain GET


async def test_a_host_without_a_token_accepts_the_offer_too(bridge: BridgeHost) -> None:
    # The page offers its token when it has one, whatever the host: the handshake must still succeed.
    async with aiohttp.ClientSession(base_url=bridge.url) as http, http.ws_connect(
            "/api/ws", protocols=("bearer", "stale")) as ws:
        assert ws.protocol == "bearer"
