"""Trace and sandbox runs enter the run history: the few calls their route modules make.

A route opens a RunRecording (`with recorder.begin(...)`), runs the program through it, and ends it
with the backend's result; anything that escapes the block ends the run failed (or cancelled). Where
the app keeps no history (the standalone sandbox server) every call is a no-op, so the routes read
the same either way. The replies of the routes never depend on what is recorded.
"""
from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any, AsyncIterator, Awaitable, Dict, Mapping, Optional, Tuple, Type, TypeVar

from aiohttp import web

from ..runs import Run, RunHistory, RunKind, RunStatus, StopReason
from ..runs.control import CannotCancel
from ..sandbox import ExecuteRequest, ExecuteResponse, SandboxError
from ..trace import Outcome
from . import state

T = TypeVar("T")

# How a trace ended (Outcome.status) -> the run's status and, for a limit, why it was stopped.
TRACE_ENDS: Dict[str, Tuple[RunStatus, Optional[StopReason]]] = {
    "completed": (RunStatus.COMPLETED, None),
    "limit_reached": (RunStatus.COMPLETED, None),  # the step limit is the trace's length, not a failure
    "awaiting_input": (RunStatus.COMPLETED, None),  # it asked for more input() than it was given
    "error": (RunStatus.FAILED, None),
    "timeout": (RunStatus.FAILED, StopReason.TIMEOUT),
    "memory_limit": (RunStatus.FAILED, StopReason.MEMORY),
}
SANDBOX_STOPS: Dict[str, StopReason] = {
    "timeout": StopReason.TIMEOUT, "memory_limit": StopReason.MEMORY, "output_limit": StopReason.OUTPUT_LIMIT,
}


class RunCancelled(Exception):
    """The run was cancelled from the history (RunControl) while its request still waited for it."""

    def __init__(self, run_id: Optional[str]) -> None:
        super().__init__(f"run {run_id} was cancelled before it ended; nothing was recorded in its session")
        self.run_id = run_id


class RunRecording:
    """One run being recorded; a context manager that ends it when the block raises."""

    def __init__(self, recorder: Recorder, run: Optional[Run]) -> None:
        self.recorder = recorder
        self.run_id = run.id if run is not None else None
        self.task: Optional[asyncio.Future[Any]] = None
        self.stop_reason: Optional[StopReason] = None
        self.cancel_requested = False  # by RunControl, not by the client going away
        self.ended = asyncio.Event()
        if run is None:
            self.ended.set()

    def __enter__(self) -> RunRecording:
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        if exc is None:
            self.finish(RunStatus.FAILED, error_message="the bridge ended the run without a result")
        elif isinstance(exc, asyncio.CancelledError):
            self.cancelled()
        else:
            self.fail(exc)

    def track(self, task: asyncio.Future[T]) -> asyncio.Future[T]:
        """Let RunControl cancel this run by cancelling `task`."""
        self.task = task
        if self.cancel_requested:
            task.cancel()
        return task

    async def run(self, work: Awaitable[T]) -> T:
        """Await `work` as a task RunControl can cancel; RunCancelled when it did. Cancelling the caller
        cancels the work too."""
        task = self.track(asyncio.ensure_future(work))
        try:
            await asyncio.wait({task})
        finally:
            if not task.done():
                task.cancel()
                await asyncio.wait({task})
        if task.cancelled():
            self.cancelled()
            raise RunCancelled(self.run_id)
        return task.result()

    def output(self, text: Optional[str], stream: str = "stdout") -> None:
        history = self.recorder.history
        if history is not None and self.run_id is not None and text and not self.ended.is_set():
            history.output(self.run_id, text, stream)

    def update(self, **changes: Any) -> None:
        history = self.recorder.history
        if history is not None and self.run_id is not None and not self.ended.is_set():
            history.update(self.run_id, **changes)

    def finish(self, status: RunStatus, **outcome: Any) -> None:
        """End the run (once; later calls are ignored)."""
        history = self.recorder.history
        if history is None or self.run_id is None or self.ended.is_set():
            return
        self.ended.set()
        self.recorder.forget(self.run_id)
        history.finish(self.run_id, status, **outcome)

    def fail(self, exc: BaseException) -> None:
        message = exc.detail if isinstance(exc, SandboxError) else str(exc)
        self.finish(RunStatus.FAILED, error_type=type(exc).__name__, error_message=message or type(exc).__name__)

    def cancelled(self) -> None:
        reason = self.stop_reason or StopReason.CANCEL
        why = "the bridge shut down" if reason is StopReason.SHUTDOWN else (
            "it was cancelled" if self.cancel_requested else "the client went away")
        self.finish(RunStatus.CANCELLED, stop_reason=reason, error_message=f"stopped before it ended: {why}")


class Recorder:
    """Records one backend's runs into the app's history, and cancels them for RunControl."""

    kind = RunKind.TRACE

    def __init__(self, history: Optional[RunHistory]) -> None:
        self.history = history
        self._active: Dict[str, RunRecording] = {}

    def begin(self, *, command: str, user: str, metadata: Mapping[str, Any], session_id: Optional[str] = None,
              timeout: Optional[float] = None) -> RunRecording:
        """A new run, already running."""
        if self.history is None:
            return RunRecording(self, None)
        run = self.history.create(self.kind, command=command, user=user, metadata=metadata,
                                  session_id=session_id, timeout=timeout, started=True)
        recording = RunRecording(self, run)
        self._active[run.id] = recording
        return recording

    def forget(self, run_id: str) -> None:
        self._active.pop(run_id, None)

    async def cancel(self, run_id: str) -> bool:
        """Stop a run of this backend; True once the history has it ended."""
        recording = self._active.get(run_id)
        if recording is None:
            if self.history is None or not self.history.run(run_id).status.finished:  # RunNotFound if unknown
                raise CannotCancel(f"{self.kind.value} run {run_id} is not running in this bridge")
            return True
        recording.stop_reason = recording.stop_reason or StopReason.CANCEL
        recording.cancel_requested = True
        if recording.task is not None:
            recording.task.cancel()
        await recording.ended.wait()
        return True

    async def shutdown(self) -> None:
        """Cancel every run still going; each ends cancelled with StopReason.SHUTDOWN."""
        recordings = list(self._active.values())
        for recording in recordings:
            recording.stop_reason = StopReason.SHUTDOWN
            recording.cancel_requested = True  # a run not yet tracked is cancelled as soon as it is
            if recording.task is not None:
                recording.task.cancel()
        for recording in recordings:
            if recording.task is not None:
                await asyncio.wait({recording.task})
            recording.cancelled()


class TraceRecorder(Recorder):
    kind = RunKind.TRACE

    def begin_trace(self, code: str, *, session_id: str, transport: str, traced: bool, max_steps: int,
                    user: str) -> RunRecording:
        metadata = {"language": "python", "session_id": session_id, "transport": transport, "traced": traced,
                    "max_steps": max_steps}
        return self.begin(command=code, user=user, metadata=metadata, session_id=session_id)

    def end_trace(self, recording: RunRecording, outcome: Outcome) -> None:
        """End the run as the trace ended; the trace's own status is kept as metadata `trace_status`."""
        recording.output(outcome.stdout, "stdout")
        recording.output(outcome.stderr, "stderr")
        history = self.history
        if history is not None and recording.run_id is not None and not recording.ended.is_set():
            metadata = dict(history.run(recording.run_id).metadata)
            metadata.update(trace_status=outcome.status, total_steps=len(outcome.raw_steps),
                            execution_time=outcome.execution_time)
            recording.update(metadata=metadata)
        status, reason = TRACE_ENDS.get(outcome.status, (RunStatus.FAILED, None))
        error = outcome.error or {}
        recording.finish(
            status, stop_reason=reason, error_type=error.get("type"), error_message=error.get("message"),
            traceback=error.get("traceback"), duration_ms=round(outcome.execution_time * 1000, 3),
        )


class SandboxRecorder(Recorder):
    kind = RunKind.SANDBOX

    def begin_sandbox(self, body: ExecuteRequest, user: str) -> RunRecording:
        metadata = {"language": body.language, "language_version": body.language_version,
                    "timeout_ms": body.timeout_ms, "memory_mb": body.memory_mb, "cpu_count": body.cpu_count}
        return self.begin(command=body.code, user=user, metadata=metadata, timeout=body.timeout_ms / 1000)

    def end_sandbox(self, recording: RunRecording, result: ExecuteResponse, body: ExecuteRequest) -> None:
        """End the run as the sandbox reported it; its own status is kept as metadata `sandbox_status`."""
        recording.output(result.compile_output, "stderr")  # compilers write diagnostics to stderr
        recording.output(result.stdout, "stdout")
        recording.output(result.stderr, "stderr")
        history = self.history
        if history is not None and recording.run_id is not None and not recording.ended.is_set():
            metadata = dict(history.run(recording.run_id).metadata)
            metadata.update(
                language=result.language, language_version=result.language_version, request_id=result.request_id,
                sandbox_status=result.status, signal=result.signal, cpu_time_ms=result.cpu_time_ms,
                memory_kb=result.memory_kb, execution_time_ms=result.execution_time_ms,
            )
            recording.update(metadata=metadata, output_truncated=result.stdout_truncated or result.stderr_truncated)
        if result.status == "ok":
            recording.finish(RunStatus.COMPLETED, exit_code=result.exit_code)
            return
        recording.finish(RunStatus.FAILED, exit_code=result.exit_code, stop_reason=SANDBOX_STOPS.get(result.status),
                         error_message=_sandbox_failure(result, body))


def _sandbox_failure(result: ExecuteResponse, body: ExecuteRequest) -> str:
    status = result.status
    if status == "compile_error":
        return f"compilation failed (exit code {result.exit_code}); the compiler's output is kept"
    if status == "timeout":
        return f"the program ran past its time limit ({body.timeout_ms} ms wall or its CPU time) and was stopped"
    if status == "memory_limit":
        return f"the program used more than its {body.memory_mb} MB memory limit and was stopped"
    if status == "output_limit":
        return "the program printed more than the sandbox's output limit and was stopped"
    if status == "signal":
        return f"killed by signal {result.signal}"
    return f"exited with code {result.exit_code}"


TRACE_RECORDER = web.AppKey("trace_recorder", TraceRecorder)
SANDBOX_RECORDER = web.AppKey("sandbox_recorder", SandboxRecorder)


def setup_trace(app: web.Application) -> TraceRecorder:
    """Record trace runs in the app's history; RunControl cancels them. Call after the worker pool's lifecycle:
    cleanups run last-added first, so runs still going at shutdown end before their workers are killed."""
    recorder = app[TRACE_RECORDER] = TraceRecorder(app.get(state.HISTORY))
    control = app.get(state.RUN_CONTROL)
    if control is not None:
        control.register(RunKind.TRACE, recorder.cancel)

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        yield
        await recorder.shutdown()

    app.cleanup_ctx.append(lifecycle)
    return recorder


def setup_sandbox(app: web.Application) -> SandboxRecorder:
    """Record sandbox runs in the app's history (none where the app keeps none: sandbox-serve)."""
    recorder = app[SANDBOX_RECORDER] = SandboxRecorder(app.get(state.HISTORY))
    return recorder
