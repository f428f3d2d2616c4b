"""Route groups; each module's `setup(app)` adds its routes and lifecycles."""
from __future__ import annotations

import functools
from typing import Callable, List

from aiohttp import web

from . import docs, health, monitor, python, sandbox, scripts, trace

ROUTE_GROUPS: List[Callable[[web.Application], None]] = [
    python.setup,
    scripts.setup,
    health.setup,
    trace.setup,
    docs.setup,
    # /api/health is the monitor's: one reply with the sandbox's seed 004 fields and seed 003's envelope.
    functools.partial(sandbox.setup, serve_health=False),
    monitor.setup,
]


def setup_all(app: web.Application) -> None:
    for setup in ROUTE_GROUPS:
        setup(app)
