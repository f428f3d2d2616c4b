"""`GET /api/duels/stats` and `GET /api/leaderboard`."""

from __future__ import annotations

from aiohttp import web

from ..duels import standings
from ..query import page
from ..state import json_reply, session, user_id

routes = web.RouteTableDef()


@routes.get("/api/duels/stats")
async def stats(request: web.Request) -> web.Response:
    async with session(request) as s:
        return json_reply(await standings.stats(s, user_id(request)))


@routes.get("/api/leaderboard")
async def leaderboard(request: web.Request) -> web.Response:
    limit, offset = page(dict(request.query), 50)
    async with session(request) as s:
        return json_reply(await standings.leaderboard(s, limit, offset))
