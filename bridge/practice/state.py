"""Typed app state (aiohttp AppKeys) and accessors that fail loudly when setup was skipped."""

from __future__ import annotations

from typing import Any, Type, TypeVar

import orjson
from aiohttp import web
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .errors import PracticeError, invalid
from .judge.judge import Judge
from .ratelimit import RateLimits
from .settings import PracticeSettings
from .tokens import TokenClaims, TokenMaker

SETTINGS = web.AppKey("practice_settings", PracticeSettings)
SESSIONS = web.AppKey("practice_sessions", async_sessionmaker)
TOKENS = web.AppKey("practice_tokens", TokenMaker)
LIMITS = web.AppKey("practice_limits", RateLimits)
JUDGE = web.AppKey("practice_judge", Judge)
CLAIMS = web.RequestKey("practice_claims", TokenClaims)  # the caller, set by the auth middleware

M = TypeVar("M", bound=BaseModel)


def session(request: web.Request) -> AsyncSession:
    """A new database session; use it as `async with session(request) as s`."""
    try:
        maker = request.app[SESSIONS]
    except KeyError:
        raise RuntimeError("the practice database was not set up: build the app with create_app()") from None
    return maker()


def claims(request: web.Request) -> TokenClaims:
    found = request.get(CLAIMS)
    if found is None:
        raise RuntimeError(f"{request.path} is public: it has no signed-in user")
    return found


def user_id(request: web.Request) -> str:
    return claims(request).user_id


def json_reply(body: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(body), content_type="application/json")


async def read_body(request: web.Request, model: Type[M]) -> M:
    """The JSON body as `model`; a wrong content type, broken JSON or a bad field is a 400 naming the problem."""
    if request.content_type != "application/json":
        raise PracticeError(400, f"Content-Type must be application/json, got {request.content_type or 'none'}",
                            "INVALID_INPUT")
    raw = await request.read()
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise invalid(f"Body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise invalid("Body must be a JSON object")
    return model.model_validate(data)
