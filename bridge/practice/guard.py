"""The request policy: the error shape, rate limits with their headers on every reply, bearer auth."""

from __future__ import annotations

import logging
from typing import Awaitable, Callable, Optional, Tuple

import jwt
from aiohttp import web

from . import accounts
from .errors import PracticeError, to_response, unauthorized
from .ratelimit import Budget
from .state import CLAIMS, LIMITS, SESSIONS, TOKENS
from .tables import User
from .tokens import TokenClaims

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# The duel socket authenticates in its first message (browsers cannot set headers on a WebSocket).
PUBLIC = frozenset({("POST", "/api/auth/signup"), ("POST", "/api/auth/login"), ("GET", "/api/health"),
                    ("GET", "/ws")})
BUDGET = web.RequestKey("practice_budget", Budget)
log = logging.getLogger("bridge.practice")


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count the request, answer errors in the seed's shape, and put X-RateLimit-* on whatever goes out."""
    limits = request.app[LIMITS]
    budget = await limits.spend_ip(request.remote or "unknown")
    request[BUDGET] = budget
    try:
        if not budget.allowed:
            raise _too_many(budget, "address")
        response = await handler(request)
    except Exception as exc:  # every failure leaves as the error shape, with the budget headers
        if not isinstance(exc, (PracticeError, web.HTTPException)) and not _is_validation(exc):
            log.exception("practice request %s %s failed", request.method, request.path)
        response = to_response(exc)
    shown: Budget = request[BUDGET]
    response.headers.update(shown.headers())
    return response


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every route but sign-up, log-in and health needs a valid, unrevoked bearer token of an existing user."""
    if request.match_info.http_exception is not None or (request.method, request.path) in PUBLIC:
        return await handler(request)
    found, _ = await signed_in(request.app, _bearer(request.headers.get("Authorization")))
    request[CLAIMS] = found
    budget = await request.app[LIMITS].spend_user(found.user_id)
    request[BUDGET] = budget  # a signed-in caller sees their own hourly budget
    if not budget.allowed:
        raise _too_many(budget, "user")
    return await handler(request)


async def signed_in(app: web.Application, token: str) -> Tuple[TokenClaims, User]:
    """The claims of a valid, unrevoked token and its account; 401 (UNAUTHORIZED) saying which check failed.

    The one check of a token: the REST routes' bearer header and the duel socket's auth message both use it.
    """
    try:
        found = app[TOKENS].check(token)
    except jwt.ExpiredSignatureError:
        raise unauthorized("Token expired; log in again") from None
    except jwt.InvalidTokenError as exc:
        raise unauthorized(f"Invalid token: {exc}") from None
    async with app[SESSIONS]() as s:
        if await accounts.is_revoked(s, found.jti):
            raise unauthorized("Token revoked (logged out); log in again")
        user = await s.get(User, found.user_id)
    if user is None:
        raise unauthorized("No account for this token; sign up first")
    return found, user


def _bearer(header: Optional[str]) -> str:
    if not header:
        raise unauthorized("Missing Authorization header; send 'Authorization: Bearer <access_token>'")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("Authorization must be 'Bearer <access_token>'")
    return token.strip()


def _too_many(budget: Budget, per: str) -> PracticeError:
    wait = budget.retry_after()
    return PracticeError(429, f"Rate limit of {budget.limit} requests per {per} exceeded; retry in {wait} s",
                         headers={"Retry-After": str(wait)})


def _is_validation(exc: BaseException) -> bool:
    from pydantic import ValidationError

    return isinstance(exc, ValidationError)
