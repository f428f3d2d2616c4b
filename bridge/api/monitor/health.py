"""/api/health and /api/health/*: seed 003 health, status, metrics, database figures and optimisation.

/api/health is also seed 004's (the sandbox's): one reply carries both, the seed 004 fields at the top
level exactly as the sandbox sends them, and seed 003's envelope (`success`, `data`, `error`,
`timestamp`) beside them. Its status code stays seed 004's: 503 while the sandbox is unhealthy.
"""
from __future__ import annotations

import asyncio
from typing import List, Optional

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ..._version import __version__
from ...sandbox import HealthResponse
from ...timefmt import iso
from .. import state
from ..openapi import RouteTable
from ..sandbox import health_report
from .envelope import Envelope, MonitorErrorReply, now_iso, ok
from .figures import (
    DatabaseState,
    PerformanceMetrics,
    SystemFigures,
    WebSocketState,
    database_state,
    performance_metrics,
    stats,
    storage_accessible,
    system_figures,
    uptime_seconds,
    websocket_state,
)

table = RouteTable("monitor")


class MonitorHealth(BaseModel):
    status: str = Field(description="healthy, or degraded when the history or the data directory fails")
    timestamp: str
    version: str
    uptime_seconds: float
    database: str = Field(description="connected, or error")
    websocket: str = Field(description="running, or stopped")
    storage: str = Field(description="accessible when the data directory is writable, else inaccessible")


class HealthReply(HealthResponse):
    """Seed 004's sandbox health and seed 003's envelope in one body."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    success: bool = True
    data: MonitorHealth
    error: Optional[str] = None
    timestamp: str = Field(default_factory=now_iso)


class SystemStatus(BaseModel):
    system: SystemFigures
    database: DatabaseState
    websocket: WebSocketState


class DatabaseFigures(BaseModel):
    total_executions: int
    running_executions: int
    completed_executions: int
    failed_executions: int
    pending_executions: int
    cancelled_executions: int
    total_steps: int
    total_artifacts: int
    database_size_mb: float
    oldest_execution: Optional[str]
    newest_execution: Optional[str]


class Optimization(BaseModel):
    status: str
    timestamp: str
    operations_performed: List[str]
    metrics: PerformanceMetrics


class SystemStatusReply(Envelope[SystemStatus]):
    pass


class MetricsReply(Envelope[PerformanceMetrics]):
    pass


class DatabaseReply(Envelope[DatabaseFigures]):
    pass


class OptimizationReply(Envelope[Optimization]):
    pass


async def monitor_health(app: web.Application) -> MonitorHealth:
    database = database_state(await stats(app)).status
    storage = "accessible" if storage_accessible(app) else "inaccessible"
    websocket = websocket_state(app).status
    healthy = database == "connected" and storage == "accessible" and websocket == "running"
    return MonitorHealth(status="healthy" if healthy else "degraded", timestamp=now_iso(), version=__version__,
                         uptime_seconds=uptime_seconds(app), database=database, websocket=websocket, storage=storage)


@table.route("GET", "/api/health", summary="Health: the sandbox's (seed 004) and the monitor's (seed 003 `data`)",
             responses={200: HealthReply, 503: HealthReply})
async def health(request: web.Request) -> web.Response:
    sandbox = await health_report(request.app)
    reply = HealthReply(**sandbox.model_dump(), data=await monitor_health(request.app))
    return ok(reply, 200 if sandbox.status == "healthy" else 503)


@table.route("GET", "/api/health/status", summary="System, database and WebSocket status",
             responses={200: SystemStatusReply})
async def system_status(request: web.Request) -> web.Response:
    app = request.app
    data = SystemStatus(system=system_figures(app), database=database_state(await stats(app)),
                        websocket=websocket_state(app))
    return ok(SystemStatusReply(data=data))


@table.route("GET", "/api/health/metrics", summary="Performance metrics: database, system, uptime",
             responses={200: MetricsReply})
async def metrics(request: web.Request) -> web.Response:
    return ok(MetricsReply(data=performance_metrics(request.app, await stats(request.app), now_iso())))


@table.route("GET", "/api/health/database", summary="How many executions, steps and artifacts the history holds",
             responses={200: DatabaseReply, 503: MonitorErrorReply})
async def database(request: web.Request) -> web.Response:
    figures = await asyncio.get_running_loop().run_in_executor(None, request.app[state.HISTORY].stats)
    by_status = figures.by_status
    data = DatabaseFigures(
        total_executions=figures.runs, running_executions=by_status.get("running", 0),
        completed_executions=by_status.get("completed", 0), failed_executions=by_status.get("failed", 0),
        pending_executions=by_status.get("pending", 0), cancelled_executions=by_status.get("cancelled", 0),
        total_steps=figures.steps, total_artifacts=figures.artifacts,
        database_size_mb=round(figures.size_bytes / (1024 * 1024), 2),
        oldest_execution=iso(figures.oldest_created_at), newest_execution=iso(figures.newest_created_at),
    )
    return ok(DatabaseReply(data=data))


@table.route("POST", "/api/health/optimize", summary="Database maintenance (ANALYZE, WAL checkpoint), then metrics",
             responses={200: OptimizationReply, 503: MonitorErrorReply})
async def optimize(request: web.Request) -> web.Response:
    store = request.app[state.HISTORY].store
    done = await asyncio.get_running_loop().run_in_executor(None, store.optimize)  # it waits for the writer
    app = request.app
    data = Optimization(status="optimization_completed", timestamp=now_iso(), operations_performed=list(done),
                        metrics=performance_metrics(app, await stats(app), now_iso()))
    return ok(OptimizationReply(data=data))
