"""Run one job on the game thread: compile, exec or eval with its output routed to its run, record the end."""
from __future__ import annotations

import ast
import linecache
from types import CodeType
from typing import Any, Dict, Optional, Tuple

from ..runs import LogLevel, RunHistory, RunStatus
from .capture import OutputRouter
from .current import ArtifactSink, RunContext, bind, unbind
from .interrupt import Interrupter, JobInterrupted
from .jobs import Job
from .outcome import Outcome, judge


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


def run_job(
    job: Job,
    namespace: Dict[str, Any],
    *,
    history: RunHistory,
    router: OutputRouter,
    interrupter: Interrupter,
    artifacts: Optional[ArtifactSink] = None,
    repr_limit: int = 1024 * 1024,
) -> None:
    """Game thread. Never raises: every outcome, including BaseException, is recorded in the job's run."""
    if not job.mark_running():
        return  # cancelled while it waited in the queue; the canceller recorded it
    history.start(job.id)
    history.log(job.id, LogLevel.INFO, "Execution started")
    context = RunContext(history, job.id, artifacts)
    value: Any = None
    failure: Optional[BaseException] = None
    router.begin(context)
    bind(context)
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
            # An interrupt sent just as the code finished can land inside end(); retry until it is
            # cleared. The loop is inline: a helper's own first bytecode could take the hit outside it.
            while True:
                try:
                    interrupter.end()
                    break
                except JobInterrupted:
                    continue
    except BaseException as exc:
        failure = exc
    finally:
        unbind()
        router.end()
    record(job, history, judge(job, value, failure, repr_limit))


def record(job: Job, history: RunHistory, outcome: Outcome) -> None:
    """Write the ending into the run, then resolve the job's waiters with the final snapshot."""
    for level, message in outcome.logs:
        history.log(job.id, level, message, always=True)
    dropped = history.run(job.id).logs_dropped
    if dropped:
        history.log(job.id, LogLevel.WARNING, f"{dropped} log entries past the limit were dropped", always=True)
    run = history.finish(
        job.id, outcome.status, stop_reason=outcome.stop_reason, error_message=outcome.error_message,
        error_type=outcome.error_type, traceback=outcome.traceback, result=outcome.result,
        duration_ms=job.elapsed_ms(),
    )
    job.finish(run)


def record_cancelled_before_start(job: Job, history: RunHistory, *, note: str = "Cancelled before it started",
                                  error_message: Optional[str] = None, error_type: Optional[str] = None) -> None:
    """Any thread, after `job.cancel_if_pending()` returned True: the run ends without having started."""
    history.log(job.id, LogLevel.INFO, note, always=True)
    run = history.finish(
        job.id, RunStatus.CANCELLED, stop_reason=job.stop_reason, error_message=error_message,
        error_type=error_type, duration_ms=0.0,
    )
    job.finish(run)
