"""GET /api/ws: the live events of the history over a WebSocket (seed 003 messages and commands)."""
from __future__ import annotations

import asyncio
import contextlib

from aiohttp import WSMsgType, web

from ..errors import ApiError
from ..security import WEBSOCKET_TOKEN_PROTOCOL
from .keys import EVENT_HUB
from .messages import error_message

MAX_MESSAGE_BYTES = 64 * 1024  # commands are small; anything bigger is not one
HEARTBEAT_S = 30.0


async def events(request: web.Request) -> web.StreamResponse:
    hub = request.app[EVENT_HUB]
    # `bearer` is echoed to a browser that offered its token as subprotocols (security.presented_authorization).
    ws = web.WebSocketResponse(heartbeat=HEARTBEAT_S, max_msg_size=MAX_MESSAGE_BYTES,
                               protocols=(WEBSOCKET_TOKEN_PROTOCOL,))
    if not ws.can_prepare(request).ok:
        raise ApiError(400, "WEBSOCKET_REQUIRED", "GET /api/ws is a WebSocket: connect with a WebSocket client "
                       "(ws://127.0.0.1:8000/api/ws)")
    if not hub.running:
        raise ApiError(503, "SHUTTING_DOWN", "the bridge is shutting down; connect again once it is back")
    await ws.prepare(request)
    client = hub.connect(ws, request.transport)
    writer = asyncio.ensure_future(hub.write(client))
    try:
        async for received in ws:
            if received.type is WSMsgType.TEXT:
                hub.command(client, received.data)
            elif received.type is WSMsgType.BINARY:
                client.offer(error_message("INVALID_MESSAGE", "binary messages are not understood; send JSON text"))
            elif received.type is WSMsgType.ERROR:
                break
    finally:
        hub.disconnect(client)
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):  # a dropped socket ends it too
            await writer
    return ws


def setup(app: web.Application) -> None:
    # Not in the OpenAPI document: a WebSocket is no HTTP operation to describe there (docs/history.md is its
    # reference). The request policy (Host, Origin, Fetch Metadata, token) checks its handshake like any GET.
    app.router.add_get("/api/ws", events)
