"""Run one job's code on the game thread: compile, exec or eval, capture, and record the outcome."""
from __future__ import annotations

import ast
import linecache
import os
import traceback
from types import CodeType
from typing import Any, Dict, Optional, Tuple

from .capture import JobCapture, OutputRouter
from .interrupt import Interrupter, JobInterrupted
from .jobs import Job, JobStatus

_BRIDGE_DIR = os.path.dirname(os.path.abspath(__file__))


def job_filename(job: Job) -> str:
    """How tracebacks name the job's code."""
    return f"<job:{job.id}>"


def compile_job(job: Job) -> Tuple[Optional[CodeType], Optional[CodeType]]:
    """(statements, final expression). In exec mode a trailing expression statement is split off
    so its value can be returned, as an interactive prompt would show it."""
    filename = job_filename(job)
    # Registered so tracebacks quote the job's lines, like a file's.
    linecache.cache[filename] = (len(job.code), None, job.code.splitlines(True), filename)
    if job.mode == "eval":
        return None, compile(job.code, filename, "eval", dont_inherit=True)
    tree = ast.parse(job.code, filename, "exec")
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        tree.body.pop()
        expression = ast.Expression(last.value)
        return (
            compile(tree, filename, "exec", dont_inherit=True),
            compile(expression, filename, "eval", dont_inherit=True),
        )
    return compile(tree, filename, "exec", dont_inherit=True), None


def forget_job_source(job: Job) -> None:
    linecache.cache.pop(job_filename(job), None)


def safe_repr(value: Any, limit: int) -> str:
    try:
        text = repr(value)
    except BaseException as exc:  # a broken __repr__ must not fail a job that succeeded
        return f"<repr of {type(value).__name__} failed: {type(exc).__name__}: {exc}>"
    if len(text) > limit:
        return text[:limit] + f"... [{len(text) - limit} more characters]"
    return text


def _user_traceback(exc: BaseException) -> str:
    """The traceback from the job's own frames on; the bridge's frames are noise to the user."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(_BRIDGE_DIR):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def _exception_line(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def run_job(
    job: Job,
    namespace: Dict[str, Any],
    router: OutputRouter,
    interrupter: Interrupter,
    output_limit: int,
    log_limit: int,
) -> None:
    """Game thread. Never raises: every outcome, including BaseException, is recorded on the job."""
    if not job.mark_running():
        return  # cancelled while it waited in the queue
    capture = JobCapture(output_limit, log_limit)
    job.capture = capture
    capture.log("info", "Execution started")
    router.begin(capture)
    value: Any = None
    failure: Optional[BaseException] = None
    try:
        try:
            if job.call is not None:
                interrupter.begin(job)
                value = job.call()
            else:
                statements, expression = compile_job(job)
                interrupter.begin(job)
                if statements is not None:
                    exec(statements, namespace)
                if expression is not None:
                    value = eval(expression, namespace)
        finally:
            _end_interruptible(interrupter)
    except BaseException as exc:
        failure = exc
    finally:
        router.end()
    _record(job, capture, value, failure, output_limit)


def _end_interruptible(interrupter: Interrupter) -> None:
    # An interrupt sent just as the code finished can land here; retry until it is cleared.
    while True:
        try:
            interrupter.end()
            return
        except JobInterrupted:
            continue


def _record(
    job: Job, capture: JobCapture, value: Any, failure: Optional[BaseException], output_limit: int
) -> None:
    status = JobStatus.COMPLETED
    if failure is None:
        if job.call is not None:
            job.result = value
        elif job.mode == "eval" or value is not None:
            job.result = safe_repr(value, output_limit)
        if job.interrupt_reason == "timeout":
            job.timed_out = True
            capture.log("warning", f"Ran past its {job.timeout:g} s timeout: it could not be interrupted in time")
        capture.log("info", "Script completed", always=True)
    elif isinstance(failure, JobInterrupted) and job.interrupt_reason in ("cancel", "shutdown"):
        status = JobStatus.CANCELLED
        why = "cancelled" if job.interrupt_reason == "cancel" else "stopped because the bridge is shutting down"
        job.error_type = "Cancelled"
        job.error = f"Job was {why} while running"
        job.traceback = _user_traceback(failure)
        capture.log("warning", job.error)
    elif isinstance(failure, JobInterrupted):
        status = JobStatus.FAILED
        job.timed_out = True
        job.error_type = "TimeoutError"
        job.error = f"TimeoutError: job exceeded its {job.timeout:g} s timeout and was interrupted"
        job.traceback = _user_traceback(failure).rstrip("\n").rsplit("\n", 1)[0] + "\n" + job.error + "\n"
        capture.log("error", job.error)
        capture.log("info", "Script failed", always=True)
    else:
        status = JobStatus.FAILED
        job.error_type = type(failure).__name__
        job.error = _exception_line(failure)
        job.traceback = _user_traceback(failure)
        capture.log("error", job.traceback.rstrip("\n"))
        capture.log("info", "Script failed", always=True)
    if capture.logs_dropped:
        capture.log("warning", f"{capture.logs_dropped} log entries past the limit were dropped", always=True)
    job.output = capture.output
    job.output_truncated = capture.truncated
    job.logs = capture.logs
    job.finish(status)
    job.capture = None
