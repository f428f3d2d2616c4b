"""`ue-bridge sandbox-serve`: the sandbox API alone, for editors on hosts that cannot run bubblewrap."""

from __future__ import annotations

import argparse
import asyncio
import hmac
import signal
import sys
from typing import Any, Awaitable, Callable, Optional

from aiohttp import web

from .settings import SandboxSettings

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
TOKEN_EXEMPT = frozenset({"/api/health"})


def token_middleware(token: Optional[str]) -> Any:
    """Require `Authorization: Bearer <token>` (constant-time compare) on everything but health."""
    from ..errors import ApiError

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if token and request.path not in TOKEN_EXEMPT:
            scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(presented.strip().encode(), token.encode()):
                raise ApiError(
                    401,
                    "UNAUTHORIZED",
                    "this sandbox requires 'Authorization: Bearer <token>' (the sandbox_token setting)",
                    headers={"WWW-Authenticate": "Bearer"},
                )
        return await handler(request)

    return check


def build_app(settings: SandboxSettings, max_body_bytes: int = 2 * 1024 * 1024) -> web.Application:
    """An aiohttp app with only /api/execute, /api/runtimes and /api/health."""
    from .. import state
    from ..api import sandbox as sandbox_api
    from ..server import error_middleware

    local = settings.model_copy(update={"sandbox_url": None})  # a sandbox server never forwards again
    app = web.Application(
        client_max_size=max_body_bytes,
        middlewares=[error_middleware, token_middleware(settings.sandbox_token)],
    )
    app[state.ROUTE_DOCS] = []
    sandbox_api.setup(app, local)
    return app


async def serve(settings: SandboxSettings, host: str, port: int, ready: Optional[Callable[[int], None]] = None) -> None:
    """Serve until SIGINT/SIGTERM."""
    runner = web.AppRunner(build_app(settings), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    sockets = getattr(site._server, "sockets", None) or []
    bound = sockets[0].getsockname()[1] if sockets else port
    print(f"ue-bridge sandbox listening on http://{host}:{bound}", flush=True)
    if ready is not None:
        ready(bound)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


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

        settings = Settings(**{}).sandbox  # env UE_BRIDGE_SANDBOX__* and UE_BRIDGE_CONFIG
    except (ValidationError, ValueError) as exc:
        print(f"ue-bridge sandbox-serve: invalid settings: {exc}", file=sys.stderr)
        return 2
    if args.token:
        settings = settings.model_copy(update={"sandbox_token": args.token})
    if args.host not in LOOPBACK and not args.host.startswith("127.") and not settings.sandbox_token:
        print(
            "ue-bridge sandbox-serve: binding a non-loopback address requires a token (--token)",
            file=sys.stderr,
        )
        return 2
    try:
        asyncio.run(serve(settings, args.host, args.port))
    except KeyboardInterrupt:
        pass
    return 0
