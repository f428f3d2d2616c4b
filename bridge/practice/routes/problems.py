"""`/api/problems` and `/api/submissions`."""

from __future__ import annotations

from aiohttp import web

from .. import problems
from ..models import SubmissionRequest
from ..state import JUDGE, json_reply, read_body, session, user_id

routes = web.RouteTableDef()


@routes.get("/api/problems")
async def list_problems(request: web.Request) -> web.Response:
    async with session(request) as s:
        return json_reply(await problems.list_problems(s, dict(request.query)))


@routes.get("/api/problems/{id}")
async def get_problem(request: web.Request) -> web.Response:
    async with session(request) as s:
        return json_reply(await problems.get_problem(s, request.match_info["id"], dict(request.query)))


@routes.post("/api/submissions")
async def submit(request: web.Request) -> web.Response:
    body = await read_body(request, SubmissionRequest)
    async with session(request) as s:
        return json_reply(await problems.submit(s, request.app[JUDGE], user_id(request), body), status=201)


@routes.get("/api/submissions")
async def history(request: web.Request) -> web.Response:
    async with session(request) as s:
        return json_reply(await problems.history(s, user_id(request), dict(request.query)))
