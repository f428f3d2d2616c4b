"""The OpenAPI document, generated from the route models, and a page that renders it."""
from __future__ import annotations

from importlib import resources
from typing import Any, Dict

from aiohttp import web

from .._version import __version__
from . import state
from .errors import ErrorReply
from .http import json_response
from .openapi import RouteTable, build_openapi

table = RouteTable("docs")
# Built once the app is frozen, when every route has registered its docs: the routes never change after.
OPENAPI_DOCUMENT: web.AppKey[Dict[str, Any]] = web.AppKey("openapi_document")
DOCS_PAGE: web.AppKey[str] = web.AppKey("docs_page")


@table.route("GET", "/api/openapi.json", summary="This API as an OpenAPI 3.1 document", responses={200: None})
async def openapi(request: web.Request) -> web.Response:
    return json_response(request.app[OPENAPI_DOCUMENT])


@table.route("GET", "/api/docs", summary="Browsable API reference", responses={200: None},
             content_type="text/html")
async def docs_page(request: web.Request) -> web.Response:
    return web.Response(text=request.app[DOCS_PAGE], content_type="text/html")


async def _build(app: web.Application) -> None:
    routes = app[state.ROUTE_DOCS]
    app[OPENAPI_DOCUMENT] = build_openapi(routes, "Unreal Python Bridge", __version__, ErrorReply)
    app[DOCS_PAGE] = resources.files("bridge").joinpath("static/docs.html").read_text(encoding="utf-8")


def setup(app: web.Application) -> None:
    state.register_routes(app, table)
    app.on_startup.append(_build)
