"""`bridge.step`, `bridge.progress` and `bridge.artifact`: a job's code describing its own run.

They apply to the run of the job running on the calling thread (the game thread). Outside a
job (the editor's Python console, a script run from a menu) they do nothing but log a warning
to the `bridge` logger, so one script works both through the bridge and without it.
"""
from __future__ import annotations

import contextlib
import logging
import traceback
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Optional, Sequence, Union

from ..runs import Artifact, Step, StepStatus
from .current import RunContext, current_run

log = logging.getLogger("bridge")


def _run_or_warn(what: str) -> Optional[RunContext]:
    context = current_run()
    if context is None:
        log.warning("bridge.%s() outside a bridge job does nothing: it applies to the job running on this thread",
                    what)
    return context


@contextlib.contextmanager
def step(
    name: str,
    *,
    estimated_duration: Optional[float] = None,
    stop_on_error: bool = False,
    description: Optional[str] = None,
) -> Iterator[Optional[Step]]:
    """A named step of the current run, nested in the step open now. An exception ends it failed,
    with the exception's message, and goes on. Yields the step as it began (None outside a job)."""
    context = _run_or_warn("step")
    if context is None:
        yield None
        return
    begun = context.history.begin_step(
        context.run_id, name, description=description, estimated_duration=estimated_duration,
        stop_on_error=stop_on_error,
    )
    context.steps.append(begun.id)
    try:
        yield begun
    except BaseException as exc:
        message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        context.history.end_step(context.run_id, begun.id, StepStatus.FAILED, error_message=message)
        raise
    else:
        context.history.end_step(context.run_id, begun.id, StepStatus.COMPLETED)
    finally:
        if begun.id in context.steps:
            context.steps.remove(begun.id)


def progress(fraction: float) -> None:
    """The current run's progress, from 0 to 1 (ValueError outside that range)."""
    context = _run_or_warn("progress")
    if context is not None:
        context.history.progress(context.run_id, float(fraction))
        context.progress_reported = round(float(fraction), 3)


def artifact(
    source: Union[str, Path, bytes, BinaryIO],
    *,
    name: Optional[str] = None,
    artifact_type: Any = None,
    description: Optional[str] = None,
    tags: Sequence[str] = (),
) -> Optional[Artifact]:
    """Keep a file (a path, bytes or a binary file) as an artifact of the current run, of its innermost
    open step. `name` defaults to the file's name. Returns the stored artifact (None outside a job)."""
    context = _run_or_warn("artifact")
    if context is None:
        return None
    if context.artifacts is None:
        # Not a warning: it would land in the job's own output (stderr) for a setup the job cannot change.
        log.info("bridge.artifact() keeps nothing: this bridge has no artifact store")
        return None
    if isinstance(source, str):
        source = Path(source)
    if name is None:
        if not isinstance(source, Path):
            raise ValueError("bridge.artifact() needs a name= for bytes or a file object")
        name = source.name
    return context.artifacts.store(
        context.history, context.run_id, source, name=name, artifact_type=artifact_type,
        description=description, tags=tuple(tags), step_id=context.step_id,
    )


__all__ = ["artifact", "progress", "step"]
