"""How a job's ending reads in its run: status, why it stopped, its error, its result, its last log lines."""
from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from typing import Any, List, Optional, Tuple

from ..runs import LogLevel, RunStatus, StopReason
from .interrupt import JobInterrupted
from .jobs import Job

_BRIDGE_DIR = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True)
class Outcome:
    """What `RunHistory.finish` is told, and the log lines that come just before it."""

    status: RunStatus
    stop_reason: Optional[StopReason] = None
    result: Any = None
    error_message: Optional[str] = None
    error_type: Optional[str] = None
    traceback: Optional[str] = None
    logs: Tuple[Tuple[LogLevel, str], ...] = field(default=())


def safe_repr(value: Any, limit: int) -> str:
    try:
        text = repr(value)
    except BaseException as exc:  # a broken __repr__ must not fail a job that succeeded
        return f"<repr of {type(value).__name__} failed: {type(exc).__name__}: {exc}>"
    if len(text) > limit:
        return text[:limit] + f"... [{len(text) - limit} more characters]"
    return text


def user_traceback(exc: BaseException) -> str:
    """The traceback from the job's own frames on; the bridge's frames are noise to the user."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(_BRIDGE_DIR):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def exception_line(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def judge(job: Job, value: Any, failure: Optional[BaseException], repr_limit: int) -> Outcome:
    """The outcome of a job whose code returned `value` or raised `failure`."""
    reason = job.stop_reason
    if failure is None:
        result = value
        if job.call is None:
            result = safe_repr(value, repr_limit) if job.mode == "eval" or value is not None else None
        logs: List[Tuple[LogLevel, str]] = []
        stopped: Optional[StopReason] = None
        if reason is StopReason.TIMEOUT:
            # The interrupt was sent but the code returned before it landed.
            stopped = StopReason.TIMEOUT
            late = f"Ran past its {job.timeout:g} s timeout: it could not be interrupted in time"
            logs.append((LogLevel.WARNING, late))
        logs.append((LogLevel.INFO, "Script completed"))
        return Outcome(RunStatus.COMPLETED, stopped, result, logs=tuple(logs))
    if isinstance(failure, JobInterrupted) and reason in (StopReason.CANCEL, StopReason.SHUTDOWN):
        why = "cancelled" if reason is StopReason.CANCEL else "stopped because the bridge is shutting down"
        message = f"Job was {why} while running"
        return Outcome(
            RunStatus.CANCELLED, reason, error_message=message, error_type="Cancelled",
            traceback=user_traceback(failure), logs=((LogLevel.WARNING, message),),
        )
    if isinstance(failure, JobInterrupted):
        message = f"TimeoutError: job exceeded its {job.timeout:g} s timeout and was interrupted"
        # The last line would name JobInterrupted, the bridge's own mechanism; the user's is a timeout.
        trace = user_traceback(failure).rstrip("\n").rsplit("\n", 1)[0] + "\n" + message + "\n"
        return Outcome(
            RunStatus.FAILED, StopReason.TIMEOUT, error_message=message, error_type="TimeoutError",
            traceback=trace, logs=((LogLevel.ERROR, message), (LogLevel.INFO, "Script failed")),
        )
    trace = user_traceback(failure)
    return Outcome(
        RunStatus.FAILED, error_message=exception_line(failure), error_type=type(failure).__name__,
        traceback=trace, logs=((LogLevel.ERROR, trace.rstrip("\n")), (LogLevel.INFO, "Script failed")),
    )
