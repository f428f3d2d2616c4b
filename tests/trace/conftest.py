"""Fixtures for the trace backend: a real TraceRunner with real worker processes."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from bridge.trace import TraceRunner, TraceSettings
from tests.needs import missing


@pytest.fixture
async def runner() -> AsyncIterator[TraceRunner]:
    """A runner with default limits, except a short wall time so limit tests stay quick."""
    trace_runner = TraceRunner(TraceSettings(pool_size=2, wall_time_s=3.0, cpu_time_s=2))
    await trace_runner.start()
    if trace_runner.reason is not None:
        await trace_runner.close()
        missing(trace_runner.reason)
    yield trace_runner
    await trace_runner.close()
