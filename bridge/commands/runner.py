"""CommandRunner: run commands as subprocesses, their output live into the history, under limits."""
from __future__ import annotations

import asyncio
import codecs
import contextlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Optional, Sequence, Tuple

from ..runs import Run, RunHistory, RunKind, RunStatus, StopReason
from ..runs.control import CannotCancel
from ..runs.settings import HistorySettings
from .model import CommandRequest
from .prepare import PreparedCommand, prepare
from .process import exited, kill_group, signal_name, spawn, stop_group
from .workflow import WorkflowCommand, WorkflowRecorder, WorkflowSplitter

log = logging.getLogger("bridge.commands")

KILL_GRACE_S = 3.0  # between SIGTERM and SIGKILL: a build gets to remove its lock files
DRAIN_S = 5.0  # after the kill: a process that left the group may still hold the pipes open
READ_CHUNK = 64 * 1024


@dataclass
class _Running:
    """A command this runner started and has not finished recording."""

    run_id: str
    done: asyncio.Future[None]
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    reason: Optional[StopReason] = None
    output_used: int = 0
    over_limit: bool = False
    task: Optional[asyncio.Task[None]] = None

    def request_stop(self, reason: StopReason) -> None:
        if self.reason is None:
            self.reason = reason
        self.stop.set()


class CommandRunner:
    """Starts commands (POST /api/executions), records each as a COMMAND run, and stops them.

    `output_limit` is how many bytes of output a command may print before it is killed (default and
    at most: the history's own cap).
    """

    def __init__(
        self,
        history: RunHistory,
        settings: HistorySettings,
        project_dir: Path,
        *,
        output_limit: Optional[int] = None,
        kill_grace: float = KILL_GRACE_S,
    ) -> None:
        self.history = history
        self.settings = settings
        self.project_dir = Path(project_dir)
        limit = history.output_limit if output_limit is None else min(output_limit, history.output_limit)
        self.output_limit = limit
        self.kill_grace = kill_grace
        self._running: Dict[str, _Running] = {}
        self._closed = False

    def running(self) -> Tuple[str, ...]:
        """Ids of the commands running now."""
        return tuple(self._running)

    async def start(self, request: CommandRequest) -> Run:
        """Check the request, record the run and start it; returns at once with the run (running, or
        failed when the program cannot start). InvalidCommand when the request is not runnable."""
        if self._closed:
            raise RuntimeError("the command runner is closed; the bridge is shutting down")
        prepared = prepare(request, self.project_dir, self.settings.command_directories,
                           self.settings.command_timeout)
        run = self.history.create(
            RunKind.COMMAND, name=request.name, command=request.command, user=request.user, tags=request.tags,
            metadata=request.metadata, working_directory=prepared.working_directory,
            environment=dict(request.environment), timeout=prepared.timeout,
        )
        entry = _Running(run.id, asyncio.get_running_loop().create_future())
        self._running[run.id] = entry  # before the spawn: a cancel that comes meanwhile waits for it
        try:
            proc = await spawn(prepared)
        except OSError as exc:
            self._forget(entry)
            return self._not_started(run.id, prepared, exc)
        except BaseException:
            self._forget(entry)
            self.history.finish(run.id, RunStatus.FAILED, error_message="the command could not be started")
            raise
        self.history.start(run.id)
        entry.task = asyncio.ensure_future(self._supervise(entry, proc, prepared.timeout))
        return self.history.run(run.id)

    async def cancel(self, run_id: str) -> bool:
        """Stop a running command and its whole process group; True once it has stopped.

        A finished run is already stopped (True); RunNotFound for an unknown id; CannotCancel for an
        unfinished run this runner did not start (left by a previous process).
        """
        entry = self._running.get(run_id)
        if entry is None:
            run = self.history.run(run_id)
            if run.status.finished:
                return True
            raise CannotCancel(f"command run {run_id} is not running in this bridge; it cannot be cancelled here")
        entry.request_stop(StopReason.CANCEL)
        await asyncio.shield(entry.done)
        return True

    async def wait(self, run_id: str) -> Run:
        """The run once it has ended (at once for a finished run); RunNotFound for an unknown id."""
        entry = self._running.get(run_id)
        if entry is not None:
            await asyncio.shield(entry.done)
        return self.history.run(run_id)

    async def close(self) -> None:
        """Shutdown: stop every running command; each ends cancelled with StopReason.SHUTDOWN."""
        self._closed = True
        entries = list(self._running.values())
        for entry in entries:
            entry.request_stop(StopReason.SHUTDOWN)
        await asyncio.gather(*(asyncio.shield(e.done) for e in entries), return_exceptions=True)

    # --- one command's life --------------------------------------------------------------------

    async def _supervise(self, entry: _Running, proc: asyncio.subprocess.Process, timeout: float) -> None:
        recorder = WorkflowRecorder(self.history, entry.run_id)
        assert proc.stdout is not None and proc.stderr is not None
        readers = [
            asyncio.ensure_future(self._read_stdout(entry, proc.stdout, recorder)),
            asyncio.ensure_future(self._read(entry, proc.stderr, lambda text: self._output(entry, text, "stderr"))),
        ]
        leader = asyncio.ensure_future(exited(proc))
        stopped = asyncio.ensure_future(entry.stop.wait())
        try:
            await asyncio.wait({leader, stopped}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            killed = not leader.done()
            if killed:
                entry.request_stop(StopReason.TIMEOUT)  # no-op when cancel or the output cap came first
                await stop_group(proc, self.kill_grace)
            else:
                kill_group(proc)  # whatever it left running in its group ends with it
            await self._drain(readers)
            await leader
            if not killed and entry.reason is not StopReason.OUTPUT_LIMIT:
                entry.reason = None  # it ended on its own before the stop took effect
            recorder.close()
            self._finish(entry, proc.returncode, timeout)
        except asyncio.CancelledError:  # the loop is going away without close()
            kill_group(proc)
            with contextlib.suppress(Exception):
                self.history.finish(entry.run_id, RunStatus.CANCELLED, stop_reason=StopReason.SHUTDOWN,
                                    error_message="the command was stopped because the bridge shut down")
            raise
        except Exception as exc:
            kill_group(proc)
            log.exception("command run %s failed inside the bridge", entry.run_id)
            with contextlib.suppress(Exception):
                self.history.finish(entry.run_id, RunStatus.FAILED, error_type=type(exc).__name__,
                                    error_message=f"the bridge failed while running the command: {exc}")
        finally:
            for task in (*readers, leader, stopped):
                task.cancel()
            self._forget(entry)

    async def _read_stdout(self, entry: _Running, stream: asyncio.StreamReader, recorder: WorkflowRecorder) -> None:
        splitter = WorkflowSplitter()

        def record(text: str) -> None:
            for piece in splitter.feed(text):
                self._piece(entry, piece, recorder)

        await self._read(entry, stream, record)
        for piece in splitter.close():
            self._piece(entry, piece, recorder)

    def _piece(self, entry: _Running, piece: object, recorder: WorkflowRecorder) -> None:
        if isinstance(piece, WorkflowCommand):
            if entry.over_limit:
                return
            try:
                recorder.apply(piece)
            except Exception:  # a bad line must not stop the reading, or the pipe fills and the command hangs
                log.exception("command run %s: workflow line %r failed", entry.run_id, piece)
        elif isinstance(piece, str):
            self._output(entry, piece, "stdout")

    async def _read(self, entry: _Running, stream: asyncio.StreamReader, record: Callable[[str], None]) -> None:
        """Read until EOF, handing each chunk on as it arrives (decoded; a split character waits)."""
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        while True:
            chunk = await stream.read(READ_CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            if text:
                record(text)
            if not chunk:
                return

    def _output(self, entry: _Running, text: str, stream: str) -> None:
        if entry.over_limit:
            return  # still read, so the pipe never blocks the process before it is killed
        data = text.encode("utf-8", "replace")
        room = self.output_limit - entry.output_used
        if len(data) > room:
            self.history.output(entry.run_id, data[:room].decode("utf-8", "ignore"), stream)
            entry.output_used = self.output_limit
            self._over_limit(entry)
            return
        entry.output_used += len(data)
        self.history.output(entry.run_id, text, stream)
        if self.history.run(entry.run_id).output_truncated:
            self._over_limit(entry)

    def _over_limit(self, entry: _Running) -> None:
        entry.over_limit = True
        if not self.history.run(entry.run_id).output_truncated:
            self.history.update(entry.run_id, output_truncated=True)
        entry.request_stop(StopReason.OUTPUT_LIMIT)

    async def _drain(self, readers: Sequence[asyncio.Future[None]]) -> None:
        _, pending = await asyncio.wait(readers, timeout=DRAIN_S)
        for reader in pending:
            reader.cancel()
        for result in await asyncio.gather(*readers, return_exceptions=True):
            if isinstance(result, Exception):
                log.error("command output reader failed: %r", result)

    def _finish(self, entry: _Running, code: Optional[int], timeout: float) -> None:
        reason = entry.reason
        run_id = entry.run_id
        if reason in (StopReason.CANCEL, StopReason.SHUTDOWN):
            why = "cancelled" if reason is StopReason.CANCEL else "stopped because the bridge shut down"
            self.history.finish(run_id, RunStatus.CANCELLED, stop_reason=reason, exit_code=code,
                                error_message=f"the command was {why}; its output so far is kept")
        elif reason is StopReason.TIMEOUT:
            self.history.finish(run_id, RunStatus.FAILED, stop_reason=reason, exit_code=code,
                                error_message=f"the command ran longer than its {timeout:g} s timeout and was "
                                "stopped; its output so far is kept")
        elif reason is StopReason.OUTPUT_LIMIT:
            self.history.finish(run_id, RunStatus.FAILED, stop_reason=reason, exit_code=code,
                                error_message=f"the command printed more than the {self.output_limit} byte output "
                                "limit and was stopped; the output up to the limit is kept")
        elif code == 0:
            self.history.finish(run_id, RunStatus.COMPLETED, exit_code=0)
        elif code is not None and code < 0:
            self.history.finish(run_id, RunStatus.FAILED, exit_code=code,
                                error_message=f"killed by signal {signal_name(-code)}")
        else:
            self.history.finish(run_id, RunStatus.FAILED, exit_code=code, error_message=f"exited with code {code}")

    def _not_started(self, run_id: str, prepared: PreparedCommand, exc: OSError) -> Run:
        program = prepared.argv[0]
        if isinstance(exc, FileNotFoundError):
            code, message = 127, f"program not found: {program} (not a file, nor on PATH)"
        elif isinstance(exc, PermissionError):
            code, message = 126, f"program cannot be run: {program} (permission denied; is it executable?)"
        else:
            code, message = 126, f"program cannot be started: {program} ({exc.strerror or exc})"
        return self.history.finish(run_id, RunStatus.FAILED, exit_code=code, error_type=type(exc).__name__,
                                   error_message=message)

    def _forget(self, entry: _Running) -> None:
        self._running.pop(entry.run_id, None)
        if not entry.done.done():
            entry.done.set_result(None)

