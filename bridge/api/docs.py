"""The OpenAPI document, generated from the route models, and a page that renders it."""
from __future__ import annotations

from importlib import resources

from aiohttp import web

from .. import state
from .._version import __version__
from ..http import json_response
from ..openapi import RouteTable, build_openapi
from .models import ErrorReply

table = RouteTable("docs")


@table.route("GET", "/api/openapi.json", summary="This API as an OpenAPI 3.1 document", responses={200: None})
async def openapi(request: web.Request) -> web.Response:
    routes = request.app[state.ROUTE_DOCS]
    document = build_openapi(routes, "Unreal Python Bridge", __version__, ErrorReply)
    return json_response(document)


@table.route("GET", "/api/docs", summary="Browsable API reference", responses={200: None},
             content_type="text/html")
async def docs_page(request: web.Request) -> web.Response:
    page = resources.files("bridge").joinpath("static/docs.html").read_text(encoding="utf-8")
    return web.Response(text=page, content_type="text/html")


def setup(app: web.Application) -> None:
    state.register_routes(app, table)
