"""Route groups; each module's `setup(app)` adds its routes and lifecycles."""
from __future__ import annotations

from typing import Callable, List

from aiohttp import web

from . import docs, health, python, sandbox, scripts, trace

ROUTE_GROUPS: List[Callable[[web.Application], None]] = [
    python.setup,
    scripts.setup,
    health.setup,
    trace.setup,
    docs.setup,
    sandbox.setup,
]


def setup_all(app: web.Application) -> None:
    for setup in ROUTE_GROUPS:
        setup(app)
