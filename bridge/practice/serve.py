"""`ue-bridge practice serve`: the practice platform on its own port (default 5000, loopback)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from aiohttp import web

from ..host.until_signal import serve_until_signal
from .app import create_app
from .settings import PracticeSettings


async def serve(settings: PracticeSettings, ready: Optional[Callable[[int], None]] = None) -> None:
    """Serve until SIGINT/SIGTERM; the bound port is printed (and passed to `ready`) once requests are answered."""
    runner = web.AppRunner(create_app(settings), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    bound = int(runner.addresses[0][1])
    await serve_until_signal(runner, f"ue-bridge practice listening on http://{settings.host}:{bound}", bound, ready)

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `ue-bridge practice serve` (each overrides its UE_BRIDGE_PRACTICE__* variable)."""
    parser.add_argument("--host", help="address to bind (default 127.0.0.1; anything else needs --public)")
    parser.add_argument("--port", type=int, help="port (default 5000; 0 picks a free one)")
    parser.add_argument("--data-dir", type=Path, help="SQLite file and JWT secret (default .data/practice)")
    parser.add_argument("--database-url", help="e.g. postgresql+asyncpg://user:pw@host/db (default: SQLite)")
    parser.add_argument("--public", action="store_true",
                        help="allow a non-loopback --host: anyone who can sign up can then run code in the sandbox")


def run_from_args(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    overrides: Dict[str, Any] = {
        key: value for key, value in (("host", args.host), ("port", args.port), ("data_dir", args.data_dir),
                                      ("database_url", args.database_url)) if value is not None
    }
    try:
        settings = PracticeSettings(**overrides)
    except (ValidationError, ValueError) as exc:
        print(f"ue-bridge practice: invalid settings: {exc}", file=sys.stderr)
        return 2
    if not settings.is_loopback and not args.public:
        print(f"ue-bridge practice: binding {settings.host} exposes the judge to the network; add --public to mean it",
              file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(settings))
    except KeyboardInterrupt:
        pass
    return 0
