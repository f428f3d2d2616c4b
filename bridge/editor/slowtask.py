"""`unreal.ScopedSlowTask` as steps and progress of the run that opened it.

The editor's class is C++-backed, so the bridge does not patch it: while a router is installed,
`unreal.ScopedSlowTask` is a thin Python class that delegates everything to the real one and, on
the game thread during a job, reports to that job's run: a slow task is one step named by its
label; each `enter_progress_frame(work, desc)` moves the run's progress; nested slow tasks are
nested steps, and an inner task subdivides the outer task's current frame, as the editor's own
progress bar does. The mock provides only the class; this code path is the same for both.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Type

from ..runs import RunFinished, StepNotFound, StepStatus
from .current import RunContext

if TYPE_CHECKING:
    from .capture import OutputRouter

DEFAULT_LABEL = "Slow task"


@dataclass
class SlowTaskProgress:
    """One entered slow task's work: done so far, and the frame being worked on."""

    amount_of_work: float
    completed_work: float = 0.0
    current_frame: float = 0.0


def overall_progress(tasks: Sequence[SlowTaskProgress]) -> float:
    """Progress of nested slow tasks, outermost first: each inner task fills its outer's current frame."""
    value, scale = 0.0, 1.0
    for task in tasks:
        if task.amount_of_work <= 0:
            break
        value += scale * min(task.completed_work / task.amount_of_work, 1.0)
        scale *= min(task.current_frame / task.amount_of_work, 1.0)
    return min(max(value, 0.0), 1.0)


def _argument(args: Sequence[Any], kwargs: Dict[str, Any], index: int, name: str, default: Any) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


def _report_progress(context: RunContext, tasks: Sequence[SlowTaskProgress]) -> None:
    value = round(overall_progress(tasks), 3)
    if value != context.progress_reported:  # a frame per asset must not be an event per asset
        context.progress_reported = value
        context.history.progress(context.run_id, value)


def wrap_slow_task(real: type, router: OutputRouter) -> type:
    """A stand-in for `real` (the editor's or the mock's ScopedSlowTask) that reports to `router`'s runs."""

    class ScopedSlowTask:
        __doc__ = real.__doc__
        __wrapped__ = real

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._task = real(*args, **kwargs)  # refuses bad arguments exactly as the editor does
            self._work = float(_argument(args, kwargs, 0, "work", 0.0))
            self._label = str(_argument(args, kwargs, 1, "desc", "")) or DEFAULT_LABEL
            self._context: Optional[RunContext] = None
            self._step_id: Optional[str] = None
            self._progress: Optional[SlowTaskProgress] = None

        def __enter__(self) -> ScopedSlowTask:
            self._task.__enter__()
            context = router.context()
            if context is not None:
                step = context.history.begin_step(
                    context.run_id, self._label,
                    metadata={"source": "ScopedSlowTask", "amount_of_work": self._work},
                )
                self._context, self._step_id = context, step.id
                self._progress = SlowTaskProgress(self._work)
                context.steps.append(step.id)
                context.slow_tasks.append(self._progress)
            return self

        def enter_progress_frame(self, *args: Any, **kwargs: Any) -> Any:
            result = self._task.enter_progress_frame(*args, **kwargs)
            progress, context = self._progress, self._context
            if progress is not None and context is not None:
                progress.completed_work += progress.current_frame
                progress.current_frame = float(_argument(args, kwargs, 0, "work", 1.0))
                try:
                    _report_progress(context, context.slow_tasks)
                except RunFinished:
                    self._context = None  # entered in an earlier job of the same session
            return result

        def __exit__(
            self,
            exc_type: Optional[Type[BaseException]],
            exc: Optional[BaseException],
            tb: Optional[TracebackType],
        ) -> Any:
            suppressed = self._task.__exit__(exc_type, exc, tb)
            context, step_id, progress = self._context, self._step_id, self._progress
            if context is None or step_id is None or progress is None:
                return suppressed
            self._context = self._step_id = self._progress = None
            try:
                if exc_type is None:
                    context.history.end_step(context.run_id, step_id, StepStatus.COMPLETED)
                else:
                    message = "".join(traceback.format_exception_only(exc_type, exc)).strip()
                    context.history.end_step(context.run_id, step_id, StepStatus.FAILED, error_message=message)
            except (RunFinished, StepNotFound):
                return suppressed  # entered in an earlier job of the same session: that run has ended
            if step_id in context.steps:
                context.steps.remove(step_id)
            outermost = bool(context.slow_tasks) and context.slow_tasks[0] is progress
            if progress in context.slow_tasks:
                context.slow_tasks.remove(progress)
            if outermost and exc_type is None:
                # Only the outermost reports its end: an inner task's end would move the bar back
                # to where its outer's current frame began.
                done = SlowTaskProgress(progress.amount_of_work, progress.completed_work + progress.current_frame)
                _report_progress(context, [done])
            return suppressed

        def __getattr__(self, name: str) -> Any:
            if name == "_task":  # the real constructor refused: there is nothing to delegate to
                raise AttributeError(name)
            return getattr(self._task, name)

    ScopedSlowTask.__name__ = ScopedSlowTask.__qualname__ = real.__name__
    ScopedSlowTask.__module__ = real.__module__
    return ScopedSlowTask


__all__ = ["DEFAULT_LABEL", "SlowTaskProgress", "overall_progress", "wrap_slow_task"]
