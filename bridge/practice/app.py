"""create_app: the practice platform as one aiohttp app (REST, and live duels over a WebSocket at /ws)."""

from __future__ import annotations

import logging
from typing import AsyncIterator, Optional

from aiohttp import web

from ..sandbox import SandboxRunner
from .catalogue import load_problems, sync_problems
from .db import make_engine, migrate, sessions
from .guard import authenticate, guard
from .judge.judge import Judge
from .ratelimit import RateLimits
from .routes import auth, problems, ws
from .routes import trace as learner_trace
from .routes import ui as learner_pages
from .routes.duels import routes as duel_routes
from .routes.learning import setup as setup_learning
from .routes.portfolio import routes as portfolio_routes
from .settings import PracticeSettings
from .state import JUDGE, LIMITS, SESSIONS, SETTINGS, TOKENS, json_reply
from .tokens import TokenMaker, load_or_make_secret

log = logging.getLogger("bridge.practice")


async def health(request: web.Request) -> web.Response:
    runner = request.app[JUDGE].runner
    reason = runner.reason
    return json_reply({"status": "healthy" if reason is None else "degraded", "judge_available": reason is None,
                       "judge_reason": reason}, status=200)


def create_app(settings: Optional[PracticeSettings] = None) -> web.Application:
    """The app; its database is migrated, its content synced and its sandbox started when it starts."""
    settings = settings or PracticeSettings(**{})  # env UE_BRIDGE_PRACTICE__*
    app = web.Application(client_max_size=settings.max_body_bytes,
                          middlewares=[learner_pages.pages_are_public, guard, authenticate])
    app[SETTINGS] = settings
    app[TOKENS] = TokenMaker(load_or_make_secret(settings.jwt_secret, settings.data_dir),
                             settings.jwt_audience, settings.token_ttl_seconds)
    app[LIMITS] = RateLimits(settings.rate_limit_user, settings.rate_limit_ip, settings.rate_limit_storage)
    app[JUDGE] = Judge(SandboxRunner(settings.sandbox), settings.judge_timeout_ms, settings.judge_memory_mb)
    app.router.add_get("/api/health", health)
    app.router.add_routes(auth.routes)
    app.router.add_routes(problems.routes)
    app.router.add_routes(portfolio_routes)
    app.router.add_routes(duel_routes)
    setup_learning(app)
    learner_pages.setup(app)
    learner_trace.setup(app)
    app.cleanup_ctx.append(_database)
    app.cleanup_ctx.append(_sandbox)
    ws.setup(app)  # its hub starts after the database and the sandbox, and ends its duels before they close
    return app


async def _database(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url())
    try:
        await migrate(engine)
        app[SESSIONS] = sessions(engine)
        async with app[SESSIONS]() as session:
            await sync_problems(session, load_problems())
        yield
    finally:
        await engine.dispose()


async def _sandbox(app: web.Application) -> AsyncIterator[None]:
    runner = app[JUDGE].runner
    await runner.start()
    if runner.reason is not None:
        log.warning("practice: submissions cannot be judged here: %s", runner.reason)
    try:
        yield
    finally:
        await runner.close()
