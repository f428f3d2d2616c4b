"""`GET /ws`: the duel socket. The first message authenticates; each one after is parsed and handed to the hub."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, AsyncIterator, Dict, Optional

import orjson
from aiohttp import WSMsgType, web

from ..duels import DuelHub, Player
from ..duels.messages import Auth, CodeSubmit, Forfeit, JoinQueue, LeaveQueue, SendMessage, error_message, parse
from ..errors import PracticeError, invalid, unauthorized
from ..guard import signed_in
from ..state import JUDGE, SESSIONS, SETTINGS

HUB = web.AppKey("practice_duel_hub", DuelHub)
AUTH_WITHIN_SECONDS = 30.0
UNAUTHORIZED_CLOSE = 4401  # 4000-4999 are the application's; 4401 reads as HTTP's 401
MAX_MESSAGE_BYTES = 256 * 1024
FIRST = 'The first message must be {"type": "auth", "token": "<access_token>"}'
log = logging.getLogger("bridge.practice.duels")


class SocketConnection:
    """A player's WebSocket as the hub's Connection: JSON text out; a socket closing meanwhile is no error."""

    def __init__(self, socket: web.WebSocketResponse) -> None:
        self.socket = socket

    async def send(self, message: Dict[str, Any]) -> None:
        if self.socket.closed:
            return
        try:
            await self.socket.send_str(orjson.dumps(message).decode())
        except ConnectionError:  # the peer went away between the check and the write
            pass

    async def close(self, code: int, reason: str) -> None:
        await self.socket.close(code=code, message=reason.encode()[:123])  # a close reason fits in 123 bytes


async def _refuse(connection: SocketConnection, why: str) -> None:
    await connection.send(error_message(unauthorized(why)))
    await connection.close(UNAUTHORIZED_CLOSE, why)


async def _authenticate(request: web.Request, connection: SocketConnection) -> Optional[Player]:
    """The player the first message's token names, checked as the REST guard checks a bearer token."""
    try:
        first = await connection.socket.receive(timeout=AUTH_WITHIN_SECONDS)
    except asyncio.TimeoutError:
        await _refuse(connection, f"No auth message within {AUTH_WITHIN_SECONDS:g} s. {FIRST}")
        return None
    if first.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
        return None
    if first.type != WSMsgType.TEXT:
        await _refuse(connection, f"{FIRST}, as a text frame")
        return None
    try:
        message = parse(first.data)
    except PracticeError as exc:
        await _refuse(connection, f"{FIRST}: {exc.message}")
        return None
    if not isinstance(message, Auth):
        await _refuse(connection, f"{FIRST}, got {message.type!r}")
        return None
    try:
        _, user = await signed_in(request.app, message.token)
    except PracticeError as exc:
        await _refuse(connection, exc.message)
        return None
    return Player.of(user)


async def _answer(hub: DuelHub, user_id: str, connection: SocketConnection, text: str) -> None:
    """One message; whatever is wrong with it comes back as an error message and the socket stays open."""
    kind: Optional[str] = None
    try:
        message = parse(text)
        kind = message.type
        if isinstance(message, Auth):
            raise invalid("Already authenticated: auth is the first message only")
        if isinstance(message, JoinQueue):
            await hub.join_queue(user_id, message.difficulty, message.language)
        elif isinstance(message, LeaveQueue):
            await hub.leave_queue(user_id)
        elif isinstance(message, CodeSubmit):
            await hub.submit(user_id, message.duel_id, message.code)
        elif isinstance(message, Forfeit):
            await hub.forfeit(user_id, message.duel_id)
        elif isinstance(message, SendMessage):
            await hub.say(user_id, message.duel_id, message.message)
    except PracticeError as exc:
        await connection.send(error_message(exc, kind))
    except Exception:
        log.exception("duel message %s of %s failed", kind, user_id)
        await connection.send(error_message(
            PracticeError(500, "Internal server error; the server log has the details"), kind))


async def duel_socket(request: web.Request) -> web.StreamResponse:
    socket = web.WebSocketResponse(heartbeat=30.0, max_msg_size=MAX_MESSAGE_BYTES)
    await socket.prepare(request)
    connection = SocketConnection(socket)
    player = await _authenticate(request, connection)
    if player is None:
        return socket
    hub = request.app[HUB]
    await hub.connect(player, connection)
    try:
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await _answer(hub, player.user_id, connection, message.data)
            elif message.type == WSMsgType.BINARY:
                await connection.send(error_message(invalid("Send each message as a text frame of JSON")))
    finally:
        await hub.disconnect(player.user_id, connection)
    return socket


def setup(app: web.Application) -> None:
    """The socket route and its hub, started after the database (append this after the database's context)."""
    app[HUB] = DuelHub(app[JUDGE], app[SETTINGS])
    app.router.add_get("/ws", duel_socket)
    app.cleanup_ctx.append(_hub)
    app.on_shutdown.append(_shutdown)


async def _hub(app: web.Application) -> AsyncIterator[None]:
    await app[HUB].start(app[SESSIONS])
    try:
        yield
    finally:
        await app[HUB].shutdown()  # already done on shutdown; here too when the start failed half-way


async def _shutdown(app: web.Application) -> None:
    await app[HUB].shutdown()
