"""`/api/auth/*` and `/api/profile`."""

from __future__ import annotations

from aiohttp import web

from .. import accounts
from ..errors import unauthorized
from ..models import LoginRequest, ProfileUpdate, SignupRequest
from ..state import TOKENS, claims, json_reply, read_body, session, user_id
from ..tables import User

routes = web.RouteTableDef()


@routes.post("/api/auth/signup")
async def signup(request: web.Request) -> web.Response:
    body = await read_body(request, SignupRequest)
    async with session(request) as s:
        return json_reply(await accounts.sign_up(s, request.app[TOKENS], body), status=201)


@routes.post("/api/auth/login")
async def login(request: web.Request) -> web.Response:
    body = await read_body(request, LoginRequest)
    async with session(request) as s:
        return json_reply(await accounts.log_in(s, request.app[TOKENS], body))


@routes.post("/api/auth/logout")
async def logout(request: web.Request) -> web.Response:
    async with session(request) as s:
        await accounts.log_out(s, claims(request))
    return json_reply({"message": "Logout successful"})


async def _me(request: web.Request, s: accounts.AsyncSession) -> User:
    user = await s.get(User, user_id(request))
    if user is None:  # deleted between the auth check and now
        raise unauthorized("No account for this token; sign up first")
    return user


@routes.get("/api/profile")
async def get_profile(request: web.Request) -> web.Response:
    async with session(request) as s:
        return json_reply(accounts.profile(await _me(request, s)))


@routes.put("/api/profile")
async def put_profile(request: web.Request) -> web.Response:
    body = await read_body(request, ProfileUpdate)
    async with session(request) as s:
        return json_reply(await accounts.update_profile(s, await _me(request, s), body))
