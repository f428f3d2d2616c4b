"""Which run the code on a thread belongs to: bound by run_job around a job, read by `bridge.step` & co."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Dict, List, Optional, Protocol, Sequence, Union

from ..runs import Artifact, RunHistory

if TYPE_CHECKING:
    from .slowtask import SlowTaskProgress


class ArtifactSink(Protocol):
    """What `bridge.artifact` stores files with: `bridge.runs.artifacts.ArtifactFiles`."""

    def store(
        self,
        history: RunHistory,
        run_id: str,
        source: Union[Path, bytes, BinaryIO],
        *,
        name: str,
        file_name: Optional[str] = None,
        artifact_type: Any = None,
        description: Optional[str] = None,
        tags: Sequence[str] = (),
        step_id: Optional[str] = None,
    ) -> Artifact: ...


@dataclass
class RunContext:
    """The run a job's code reports to. Only the game thread running that job touches the lists."""

    history: RunHistory
    run_id: str
    artifacts: Optional[ArtifactSink] = None
    # Steps opened by `bridge.step` and slow tasks, innermost last: artifacts belong to the innermost.
    steps: List[str] = field(default_factory=list)
    slow_tasks: List[SlowTaskProgress] = field(default_factory=list)  # entered ones, outermost first
    progress_reported: Optional[float] = None

    @property
    def step_id(self) -> Optional[str]:
        return self.steps[-1] if self.steps else None


_BOUND: Dict[int, RunContext] = {}


def bind(context: RunContext) -> None:
    """The calling thread now runs `context`'s job."""
    _BOUND[threading.get_ident()] = context


def unbind() -> None:
    _BOUND.pop(threading.get_ident(), None)


def current_run() -> Optional[RunContext]:
    """The run of the job running on this thread, or None outside a job."""
    return _BOUND.get(threading.get_ident())
