"""The figures the health routes report: system (psutil), database (the history's store), storage, WebSocket."""
from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import List, Optional

from aiohttp import web
from pydantic import BaseModel, Field

from ...runs import StoreStats
from .. import state
from .keys import EVENT_HUB

MB = 1024 * 1024


class SystemFigures(BaseModel):
    cpu_percent: float
    memory_percent: float
    disk_usage_percent: float = Field(description="of the disk that holds the data directory")
    load_average: List[float] = Field(description="1, 5 and 15 minutes")


class DatabaseState(BaseModel):
    status: str = Field(description="connected, or error")
    size_mb: float
    wal_mode: bool
    cache_hit_ratio: Optional[float]


class WebSocketState(BaseModel):
    status: str = Field(description="running, or stopped")
    connected_clients: int
    total_messages: int = Field(description="messages sent to clients since the bridge started")


class TableCounts(BaseModel):
    executions: int
    steps: int
    artifacts: int


class DatabaseMetrics(BaseModel):
    database_size_bytes: int
    database_size_mb: float
    table_counts: TableCounts
    wal_mode: str = Field(description="the journal mode: wal, delete, or memory for a history kept in memory")
    cache_size: int
    storage_path: Optional[str] = Field(description="the data directory")
    backend: str = Field(description="sqlite or memory")


class SystemMetrics(BaseModel):
    cpu_percent: float
    memory_percent: float
    disk_usage_percent: float
    open_connections: int = Field(description="the bridge process's open network connections")


class PerformanceMetrics(BaseModel):
    timestamp: str
    database: DatabaseMetrics
    system: SystemMetrics
    uptime_seconds: float


def data_dir(app: web.Application) -> Optional[Path]:
    files = app.get(state.ARTIFACT_FILES)
    if files is not None:
        return files.root.parent
    configured = app[state.SETTINGS].history.data_dir
    return None if configured is None else Path(configured)


def storage_accessible(app: web.Application) -> bool:
    directory = data_dir(app)
    return directory is not None and directory.is_dir() and os.access(directory, os.W_OK | os.X_OK)


def uptime_seconds(app: web.Application) -> float:
    return round(time.monotonic() - app[state.CLOCK].started, 3)


def _disk_percent(app: web.Application) -> float:
    import psutil  # here, not at import: `import bridge` loads no POSIX-only module (psutil's Linux part does)

    directory = data_dir(app)
    while directory is not None and not directory.exists() and directory != directory.parent:
        directory = directory.parent
    try:
        return float(psutil.disk_usage(str(directory or Path.cwd())).percent)
    except OSError:
        return 0.0


def system_figures(app: web.Application) -> SystemFigures:
    import psutil

    try:
        load = [round(value, 2) for value in psutil.getloadavg()]
    except (OSError, AttributeError):
        load = [0.0, 0.0, 0.0]
    return SystemFigures(cpu_percent=psutil.cpu_percent(interval=None),
                         memory_percent=psutil.virtual_memory().percent,
                         disk_usage_percent=_disk_percent(app), load_average=load)


def open_connections() -> int:
    import psutil

    try:
        return len(psutil.Process().net_connections(kind="inet"))
    except (psutil.Error, OSError):  # some platforms refuse it without privileges
        return 0


async def stats(app: web.Application) -> Optional[StoreStats]:
    """The store's figures; None when the store cannot answer (reported as `error`). Counting a large
    history takes tens of milliseconds: never on the event loop."""
    try:
        return await asyncio.get_running_loop().run_in_executor(None, app[state.HISTORY].stats)
    except Exception:
        return None


def database_state(figures: Optional[StoreStats]) -> DatabaseState:
    if figures is None:
        return DatabaseState(status="error", size_mb=0.0, wal_mode=False, cache_hit_ratio=None)
    return DatabaseState(status="connected", size_mb=round(figures.size_bytes / MB, 2), wal_mode=figures.wal_mode,
                         cache_hit_ratio=figures.cache_hit_ratio)


def websocket_state(app: web.Application) -> WebSocketState:
    hub = app[EVENT_HUB]
    return WebSocketState(status="running" if hub.running else "stopped", connected_clients=len(hub.clients),
                          total_messages=hub.total_messages)


def performance_metrics(app: web.Application, figures: Optional[StoreStats], timestamp: str) -> PerformanceMetrics:
    system = system_figures(app)
    if figures is None:
        database = DatabaseMetrics(database_size_bytes=0, database_size_mb=0.0, backend="unknown",
                                   table_counts=TableCounts(executions=0, steps=0, artifacts=0),
                                   wal_mode="unknown", cache_size=0, storage_path=None)
    else:
        directory = data_dir(app)
        journal = "memory" if figures.backend == "memory" else ("wal" if figures.wal_mode else "delete")
        database = DatabaseMetrics(
            database_size_bytes=figures.size_bytes, database_size_mb=round(figures.size_bytes / MB, 2),
            table_counts=TableCounts(executions=figures.runs, steps=figures.steps, artifacts=figures.artifacts),
            wal_mode=journal, cache_size=figures.cache_size, backend=figures.backend,
            storage_path=None if directory is None else str(directory),
        )
    return PerformanceMetrics(
        timestamp=timestamp, database=database, uptime_seconds=uptime_seconds(app),
        system=SystemMetrics(cpu_percent=system.cpu_percent, memory_percent=system.memory_percent,
                             disk_usage_percent=system.disk_usage_percent, open_connections=open_connections()),
    )
