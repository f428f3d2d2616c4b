"""`/api/roadmap` and `/api/lessons/*`: the learning path over HTTP."""

from __future__ import annotations

from aiohttp import web

from .. import learning
from ..errors import not_found
from ..state import json_reply, read_body, session, user_id

CATALOGUE = web.AppKey("practice_learning_catalogue", learning.Catalogue)
routes = web.RouteTableDef()


def setup(app: web.Application) -> None:
    """Load the shipped topics and lessons (a broken content file stops the start, naming it) and add the routes."""
    app[CATALOGUE] = learning.load_catalogue()
    app.router.add_routes(routes)


def _lesson(request: web.Request) -> learning.Lesson:
    found = request.app[CATALOGUE].lesson(request.match_info["id"])
    if found is None:
        raise not_found("Lesson not found")
    return found


@routes.post("/api/roadmap")
async def generate_roadmap(request: web.Request) -> web.Response:
    body = await read_body(request, learning.RoadmapRequest)
    async with session(request) as s:
        return json_reply(await learning.generate(s, request.app[CATALOGUE], user_id(request), body.topics),
                          status=201)


@routes.get("/api/roadmap")
async def get_roadmap(request: web.Request) -> web.Response:
    async with session(request) as s:
        found = await learning.current(s, user_id(request))
    if found is None:
        raise not_found("No roadmap yet; POST /api/roadmap with your topics first")
    return json_reply(found)


@routes.get("/api/lessons/{id}")
async def get_lesson(request: web.Request) -> web.Response:
    return json_reply(_lesson(request).to_json())


@routes.post("/api/lessons/{id}/complete")
async def complete_lesson(request: web.Request) -> web.Response:
    lesson = _lesson(request)
    if request.can_read_body:
        await read_body(request, learning.CompleteRequest)
    async with session(request) as s:
        return json_reply(await learning.complete(s, user_id(request), lesson))
