"""Prometheus figures for one app: runs, queue depth, durations and HTTP requests.

Run figures come from the history's events (`on_run_event` is a subscriber), so nothing that runs
jobs needs to know metrics exist.
"""
from __future__ import annotations

from typing import Callable, Dict, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ..runs.events import Change, RunChanged, RunEvent
from .views import job_kind

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _LiveGauges(Collector):
    """Figures read at scrape time rather than kept up to date on every change."""

    def __init__(self, runs_by_status: Callable[[], Dict[str, int]], queue_depth: Callable[[], int]) -> None:
        self._runs_by_status = runs_by_status
        self._queue_depth = queue_depth

    def collect(self) -> Iterable[Metric]:
        jobs = GaugeMetricFamily("bridge_jobs", "Runs in the history by status", labels=["status"])
        for status, count in self._runs_by_status().items():
            jobs.add_metric([status], count)
        yield jobs
        yield GaugeMetricFamily("bridge_tick_queue_depth", "Work items waiting for the game thread",
                                value=self._queue_depth())


class Metrics:
    """A registry of its own per app, so several apps in one process never collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.http_requests = Counter(
            "bridge_http_requests", "HTTP requests by route, method and status",
            ["route", "method", "status"], registry=self.registry,
        )
        self.jobs_finished = Counter(
            "bridge_jobs_finished", "Finished runs by kind and status", ["kind", "status"], registry=self.registry
        )
        self.job_duration = Histogram(
            "bridge_job_duration_seconds", "Run time of finished runs", ["kind"], registry=self.registry,
            buckets=(0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120),
        )
        self.tick_drain = Histogram(
            "bridge_tick_drain_seconds", "Time spent draining the tick queue in one frame", registry=self.registry,
            buckets=(0.0001, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.05, 0.25, 1, 5),
        )

    def watch(self, runs_by_status: Callable[[], Dict[str, int]], queue_depth: Callable[[], int]) -> None:
        self.registry.register(_LiveGauges(runs_by_status, queue_depth))

    def on_run_event(self, event: RunEvent) -> None:
        """A RunHistory subscriber: count each run that finishes, by kind and status, and its duration."""
        if not (isinstance(event, RunChanged) and event.change is Change.FINISHED):
            return
        run = event.run
        kind = job_kind(run.kind)
        self.jobs_finished.labels(kind, run.status.value).inc()
        if run.duration_ms is not None and run.started_at is not None:
            self.job_duration.labels(kind).observe(run.duration_ms / 1000.0)

    def observe_drain(self, seconds: float, ran: int) -> None:
        self.tick_drain.observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
