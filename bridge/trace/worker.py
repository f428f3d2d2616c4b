"""One worker process seen from the server: start it, give it one program, read what it reports, kill it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional

import orjson

from .launch import limit_setter, worker_command, worker_env
from .settings import TraceSettings

StepCallback = Callable[[Dict[str, Any]], Awaitable[None]]
InputCallback = Callable[[str], Awaitable[Optional[str]]]
READ_LIMIT = 64 * 1024 * 1024  # one JSON line (one step) may be this long
STDERR_TAIL = 4096


class WorkerStartError(RuntimeError):
    """A worker process did not come up."""


@dataclass
class Outcome:
    """What one run produced, however it ended."""

    status: str
    steps: List[Dict[str, Any]] = field(default_factory=list)
    stdout: str = ""
    stderr: Optional[str] = None
    error: Optional[Dict[str, Any]] = None
    execution_time: float = 0.0


class Worker:
    """A started worker process waiting for its one job."""

    def __init__(self, proc: asyncio.subprocess.Process, workdir: str, settings: TraceSettings):
        self.proc = proc
        self.workdir = workdir
        self.settings = settings
        self._stderr_tail = b""
        self._stderr_task = asyncio.ensure_future(self._drain_stderr())

    @classmethod
    async def start(cls, settings: TraceSettings) -> Worker:
        """Spawn a worker under rlimits in a fresh temp dir and wait until it says ready."""
        workdir = tempfile.mkdtemp(prefix="bridge-trace-")
        s = settings
        try:
            proc = await asyncio.create_subprocess_exec(
                *worker_command(s.python), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, cwd=workdir, env=worker_env(workdir), start_new_session=True,
                limit=READ_LIMIT, close_fds=True,
                preexec_fn=limit_setter(s.cpu_time_s, s.memory_mb * 1024 * 1024, s.max_file_bytes, s.max_open_files),
            )
        except OSError as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            raise WorkerStartError("cannot start a tracer worker: %s" % exc) from exc
        worker = cls(proc, workdir, settings)
        try:
            assert proc.stdout is not None
            line = await asyncio.wait_for(proc.stdout.readline(), s.worker_start_timeout_s)
            if not line or orjson.loads(line).get("t") != "ready":
                raise WorkerStartError("tracer worker died while starting: %s" % worker.stderr_tail())
        except (asyncio.TimeoutError, orjson.JSONDecodeError) as exc:
            await worker.kill()
            raise WorkerStartError("tracer worker did not start in %s s" % s.worker_start_timeout_s) from exc
        except BaseException:
            await worker.kill()
            raise
        return worker

    @property
    def alive(self) -> bool:
        """True while the process has not exited."""
        return self.proc.returncode is None

    def stderr_tail(self) -> str:
        """The last few KB the worker wrote to fd 2 (interpreter crashes end up there)."""
        return self._stderr_tail.decode("utf-8", "replace")

    async def _drain_stderr(self) -> None:
        # Always read fd 2, or a program writing to it directly would block on a full pipe.
        assert self.proc.stderr is not None
        while True:
            chunk = await self.proc.stderr.read(65536)
            if not chunk:
                return
            self._stderr_tail = (self._stderr_tail + chunk)[-STDERR_TAIL:]

    async def run(self, job: Dict[str, Any], on_step: Optional[StepCallback] = None,
                  ask: Optional[InputCallback] = None) -> Outcome:
        """Run one job to its end, the wall limit or the worker's death; the worker is dead afterwards."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.wall_time_s
        steps: List[Dict[str, Any]] = []
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self._send(job)
            while True:
                line = await asyncio.wait_for(self.proc.stdout.readline(), max(deadline - loop.time(), 0.001))
                if not line:
                    break
                message = orjson.loads(line)
                kind = message.get("t")
                if kind == "step":
                    steps.append(message["d"])
                    if on_step is not None:
                        await on_step(message["d"])
                elif kind == "input_request":
                    value = None
                    if ask is not None:
                        value = await asyncio.wait_for(ask(str(message.get("prompt", ""))),
                                                       max(deadline - loop.time(), 0.001))
                    self._send({"t": "input", "value": value} if value is not None else {"t": "eof"})
                elif kind == "done":
                    return Outcome(message["status"], steps, message.get("stdout") or "", message.get("stderr"),
                                   message.get("error"), float(message.get("execution_time") or 0.0))
        except asyncio.TimeoutError:
            return self._failed(steps, "timeout", "TimeoutError",
                                "the program ran longer than the %g s wall-time limit and was stopped; the steps "
                                "recorded so far are kept" % self.settings.wall_time_s)
        except (ValueError, orjson.JSONDecodeError, ConnectionError):
            return self._failed(steps, "error", "WorkerError", "the worker sent something unreadable and was stopped")
        finally:
            await self.kill()
        return self._ended(steps)

    def _send(self, message: Dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(orjson.dumps(message) + b"\n")

    def _ended(self, steps: List[Dict[str, Any]]) -> Outcome:
        code = self.proc.returncode
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            return self._failed(steps, "timeout", "TimeoutError",
                                "the program used more than %d s of CPU time and was stopped; the steps recorded "
                                "so far are kept" % self.settings.cpu_time_s)
        how = "signal %s" % signal.Signals(-code).name if code is not None and code < 0 else "exit code %s" % code
        return self._failed(steps, "error", "WorkerCrashed",
                            "the worker process ended unexpectedly (%s); the steps recorded so far are kept" % how)

    def _failed(self, steps: List[Dict[str, Any]], status: str, kind: str, message: str) -> Outcome:
        stdout = steps[-1].get("stdout", "") if steps else ""
        line = steps[-1].get("line") if steps else None
        tail = self.stderr_tail() or None
        return Outcome(status, steps, stdout or "", tail, {"type": kind, "message": message, "line": line,
                                                           "traceback": None})

    async def kill(self) -> None:
        """Kill the worker's whole process group, reap it and remove its temp dir."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        await self.proc.wait()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._stderr_task, 1.0)
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
