"""`GET /api/duels/stats` and `GET /api/leaderboard`."""

from __future__ import annotations

from aiohttp import web

from ..duels import standings
from ..problems import MAX_LIMIT, _int
from ..state import json_reply, session, user_id

routes = web.RouteTableDef()


@routes.get("/api/duels/stats")
async def stats(request: web.Request) -> web.Response:
    async with session(request) as s:
        return json_reply(await standings.stats(s, user_id(request)))


@routes.get("/api/leaderboard")
async def leaderboard(request: web.Request) -> web.Response:
    query = dict(request.query)
    limit = _int(query, "limit", 50, 1, MAX_LIMIT)
    offset = _int(query, "offset", 0, 0, 10**9)
    async with session(request) as s:
        return json_reply(await standings.leaderboard(s, limit, offset))
