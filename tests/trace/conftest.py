"""Fixtures for the trace backend: a real TraceRunner with real worker processes."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from bridge.trace import TraceRunner, TraceSettings


@pytest.fixture
async def runner() -> AsyncIterator[TraceRunner]:
    """A runner with default limits, except a short wall time so limit tests stay quick."""
    trace_runner = TraceRunner(TraceSettings(pool_size=2, wall_time_s=3.0, cpu_time_s=2))
    await trace_runner.start()
    yield trace_runner
    await trace_runner.close()
