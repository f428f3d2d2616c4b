"""`ue-bridge sandbox-serve`: the sandbox API alone, for editors on hosts that cannot run bubblewrap."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any, Callable, Optional

from aiohttp import web

from ..api.connections import ConnectionLimits, GuardedSite
from ..api.openapi import Handler
from ..api.security import check_token, is_loopback_host
from ..sandbox.settings import SandboxSettings
from .until_signal import serve_until_signal

TOKEN_EXEMPT = frozenset({"/api/health"})


def token_middleware(token: Optional[str]) -> Any:
    """Require `Authorization: Bearer <token>` on everything but health."""

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if token and request.path not in TOKEN_EXEMPT:
            check_token(request.headers.get("Authorization", ""), token, "sandbox", "sandbox_token")
        return await handler(request)

    return check


def build_app(settings: SandboxSettings, max_body_bytes: int = 2 * 1024 * 1024) -> web.Application:
    """An aiohttp app with only /api/execute, /api/runtimes and /api/health."""
    from ..api import sandbox as sandbox_api
    from ..api import state
    from ..api.server import error_middleware

    local = settings.model_copy(update={"sandbox_url": None})  # a sandbox server never forwards again
    app = web.Application(
        client_max_size=max_body_bytes,
        middlewares=[error_middleware, token_middleware(settings.sandbox_token)],
    )
    app[state.ROUTE_DOCS] = []
    sandbox_api.setup(app, local)
    return app


async def serve(
    settings: SandboxSettings, host: str, port: int, ready: Optional[Callable[[int], None]] = None,
    limits: Optional[ConnectionLimits] = None,
) -> None:
    """Serve until SIGINT/SIGTERM, under the same connection limits as the bridge (its defaults unless given)."""
    limits = limits or ConnectionLimits()
    runner = web.AppRunner(build_app(settings), handle_signals=False, keepalive_timeout=limits.header_timeout_seconds)
    await runner.setup()
    site = GuardedSite(runner, host, port, limits)
    await site.start()
    await serve_until_signal(runner, f"ue-bridge sandbox listening on http://{host}:{site.port}", site.port, ready)

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `ue-bridge sandbox-serve`."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (anything but loopback needs a token)")
    parser.add_argument("--port", type=int, default=8100, help="port (default 8100; 0 picks a free one)")
    parser.add_argument("--token", help="required bearer token (or UE_BRIDGE_SANDBOX__SANDBOX_TOKEN)")


def run_from_args(args: argparse.Namespace) -> int:
    """Entry point of the subcommand."""
    from pydantic import ValidationError

    try:
        from ..config import Settings

        everything = Settings(**{})  # env UE_BRIDGE_* and UE_BRIDGE_CONFIG
        settings = everything.sandbox
    except (ValidationError, ValueError) as exc:
        print(f"ue-bridge sandbox-serve: invalid settings: {exc}", file=sys.stderr)
        return 2
    if args.token:
        settings = settings.model_copy(update={"sandbox_token": args.token})
    if not is_loopback_host(args.host) and not settings.sandbox_token:
        print(
            "ue-bridge sandbox-serve: binding a non-loopback address requires a token (--token)",
            file=sys.stderr,
        )
        return 2
    try:
        asyncio.run(serve(settings, args.host, args.port, limits=ConnectionLimits.from_settings(everything)))
    except KeyboardInterrupt:
        pass
    return 0
