"""A duel player over a real aiohttp WebSocket: send the seed's messages, read the server's one by one."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Tuple

import aiohttp

from bridge.practice.catalogue import ProblemContent, load_problems

from .fixtures import sign_up

WAIT_SECONDS = 60.0  # a judged submission on a loaded two-core machine
PROBLEMS = {p.id: p for p in load_problems()}


class DuelClient:
    def __init__(self, socket: aiohttp.ClientWebSocketResponse, username: str) -> None:
        self.socket, self.username = socket, username

    async def send(self, kind: str, **fields: Any) -> None:
        await self.socket.send_json({"type": kind, **fields})

    async def receive(self, timeout: float = WAIT_SECONDS) -> Dict[str, Any]:
        message = await self.socket.receive(timeout=timeout)
        assert message.type == aiohttp.WSMsgType.TEXT, (message.type, message.data, message.extra)
        body: Dict[str, Any] = message.json()
        return body

    async def expect(self, kind: str, timeout: float = WAIT_SECONDS) -> Dict[str, Any]:
        """The next message, which must be a `kind`."""
        body = await self.receive(timeout)
        assert body["type"] == kind, body
        return body

    async def error(self, code: str, status: int) -> Dict[str, Any]:
        body = await self.expect("error")
        assert (body["code"], body["status"]) == (code, status), body
        assert set(body) <= {"type", "error", "code", "status", "request"} and body["error"], body
        return body

    async def quiet(self, seconds: float = 0.3) -> None:
        """Nothing arrives for a moment (what a test checks when a message must not be sent)."""
        try:
            body = await self.socket.receive(timeout=seconds)
        except asyncio.TimeoutError:
            return
        raise AssertionError(f"{self.username} got {body.type}: {body.data}")

    async def closed(self) -> Tuple[int, str]:
        """The server's close: its code and reason."""
        message = await self.socket.receive(timeout=WAIT_SECONDS)
        assert message.type == aiohttp.WSMsgType.CLOSE, (message.type, message.data)
        return int(message.data), str(message.extra)

    async def close(self) -> None:
        await self.socket.close()


async def open_socket(http: aiohttp.ClientSession, token: str, username: str = "") -> DuelClient:
    """A socket authenticated with `token`."""
    client = DuelClient(await http.ws_connect("/ws"), username)
    await client.send("auth", token=token)
    welcome = await client.expect("authenticated")
    assert welcome["user"]["username"] == username, welcome
    return client


async def player(http: aiohttp.ClientSession, name: str) -> Tuple[DuelClient, Dict[str, str]]:
    """A new account with an authenticated socket, and the account's Authorization header for REST."""
    _, auth = await sign_up(http, name)
    return await open_socket(http, auth["Authorization"].split()[1], name), auth


async def matched(first: DuelClient, second: DuelClient, difficulty: str = "easy",
                  language: str = "python") -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """`first` waits in the queue, `second` joins it: both match-found messages."""
    await first.send("join-queue", difficulty=difficulty, language=language)
    await first.expect("queued")
    await second.send("join-queue", difficulty=difficulty, language=language)
    return await first.expect("match-found"), await second.expect("match-found")


def problem_of(found: Dict[str, Any]) -> ProblemContent:
    return PROBLEMS[found["problem"]["id"]]


def usernames(complete: Dict[str, Any]) -> List[str]:
    return [complete["player1"]["username"], complete["player2"]["username"]]
