"""The learner pages: `GET /` is their shell, `GET /ui/<path>` the dashboard's assets they share."""

from __future__ import annotations

from importlib import resources

from aiohttp import web

from ...api.errors import ApiError
from ...api.ui import ASSET_ROOT, ASSETS, AssetFiles, serve
from ..errors import error_body
from ..guard import Handler

SHELL = "learn.html"


def _serve(request: web.Request, relative: str) -> web.Response:
    try:
        return serve(request, relative)
    except ApiError as exc:  # the bridge's error shape; this app answers in the seed's
        return error_body(404, exc.message, "NOT_FOUND")


async def shell(request: web.Request) -> web.Response:
    return _serve(request, SHELL)


async def asset(request: web.Request) -> web.Response:
    return _serve(request, request.match_info["path"])


@web.middleware
async def pages_are_public(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The page and its files carry no secret and load before sign-in: no token, and no rate budget spent.

    It runs before the rate limits because one page load fetches some thirty files, which would spend a third
    of an address's 100 requests a minute before the learner has called the API once.
    """
    page = request.match_info.route.handler
    if page is shell or page is asset:
        return await page(request)
    return await handler(request)


def setup(app: web.Application) -> None:
    app[ASSETS] = AssetFiles(resources.files("bridge").joinpath(ASSET_ROOT))
    app.router.add_get("/", shell)
    app.router.add_get("/ui/{path:.+}", asset)
