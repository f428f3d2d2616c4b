"""`/api/portfolio*`: the portfolio, its projects and its PDF export."""

from __future__ import annotations

import asyncio
import re

from aiohttp import web

from .. import portfolio
from ..state import json_reply, read_body, session, user_id

routes = web.RouteTableDef()


@routes.get("/api/portfolio")
async def get_portfolio(request: web.Request) -> web.Response:
    async with session(request) as s:
        return json_reply(portfolio.portfolio_json(await portfolio.load_portfolio(s, user_id(request))))


@routes.post("/api/portfolio/projects")
async def add_project(request: web.Request) -> web.Response:
    body = await read_body(request, portfolio.ProjectRequest)
    async with session(request) as s:
        return json_reply(await portfolio.add_project(s, user_id(request), body), status=201)


@routes.delete("/api/portfolio/projects/{id}")
async def delete_project(request: web.Request) -> web.Response:
    async with session(request) as s:
        await portfolio.delete_project(s, user_id(request), request.match_info["id"])
    return json_reply({"message": "Project deleted"})


@routes.post("/api/portfolio/export")
async def export(request: web.Request) -> web.Response:
    await read_body(request, portfolio.ExportRequest)  # only "pdf" passes
    async with session(request) as s:
        found = await portfolio.load_portfolio(s, user_id(request))
    document = await asyncio.to_thread(portfolio.render_pdf, found)  # fpdf2 is CPU-bound: keep the loop free
    filename = re.sub(r"[^A-Za-z0-9_.-]", "_", found.username)
    return web.Response(body=document, content_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="portfolio-{filename}.pdf"'})
