"""What RunHistory publishes on every change, and the bus that hands it to subscribers.

Subscribers are called on the thread that made the change (the game thread, for an editor job's
print), so each one must only hand the event on: append to a queue, `call_soon_threadsafe`.
"""
from __future__ import annotations

import enum
import logging
import threading
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple, Union

from .model import Artifact, LogEntry, Run, Step

log = logging.getLogger("bridge.runs")


class Change(str, enum.Enum):
    CREATED = "created"
    STARTED = "started"
    UPDATED = "updated"  # progress, step counts, metadata
    FINISHED = "finished"


@dataclass(frozen=True)
class RunChanged:
    change: Change
    run: Run


@dataclass(frozen=True)
class OutputAdded:
    """Text a run printed, as written (`text`, what the store keeps), and the lines it completed
    (`lines`, what live viewers show as the seed's `log_entry`). At the end of a run the last,
    unterminated line comes as an event with empty `text`."""

    run_id: str
    text: str
    lines: Tuple[LogEntry, ...]


@dataclass(frozen=True)
class LogAdded:
    """A structured log line that is not printed output (unreal.log*, workflow lines, notes)."""

    run_id: str
    entry: LogEntry


@dataclass(frozen=True)
class StepChanged:
    run_id: str
    step: Step


@dataclass(frozen=True)
class ArtifactAdded:
    run_id: str
    artifact: Artifact


@dataclass(frozen=True)
class ArtifactDeleted:
    artifact: Artifact


@dataclass(frozen=True)
class RunDeleted:
    run_id: str


RunEvent = Union[RunChanged, OutputAdded, LogAdded, StepChanged, ArtifactAdded, ArtifactDeleted, RunDeleted]
Subscriber = Callable[[RunEvent], None]


class EventBus:
    """Fan-out to subscribers; one failing subscriber never stops the others or the run."""

    def __init__(self) -> None:
        self._subscribers: List[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns the function that removes it."""
        with self._lock:
            self._subscribers = [*self._subscribers, subscriber]

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers = [s for s in self._subscribers if s is not subscriber]

        return unsubscribe

    def publish(self, event: RunEvent) -> None:
        for subscriber in self._subscribers:  # a copy-on-write list: no lock on the hot path
            try:
                subscriber(event)
            except Exception:
                log.exception("run event subscriber %r failed on %s", subscriber, type(event).__name__)


def run_id_of(event: RunEvent) -> Optional[str]:
    if isinstance(event, RunChanged):
        return event.run.id
    if isinstance(event, ArtifactDeleted):
        return event.artifact.run_id
    return event.run_id
