"""One worker process seen from the server: start it, give it one program, read what it reports, kill it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Awaitable, Callable, Deque, Dict, List, Optional

import orjson

from .launch import bubblewrap, limit_setter, worker_command, worker_env
from .settings import TraceSettings

StepCallback = Callable[[bytes], Awaitable[None]]  # gets the JSON text of one step, as produced
InputCallback = Callable[[str], Awaitable[Optional[str]]]
READ_LIMIT = 64 * 1024 * 1024  # one JSON line (one step) may be this long
READ_CHUNK = 256 * 1024
STDERR_TAIL = 4096
TERM_GRACE_S = 0.5  # how long a worker past its wall limit gets to hand over its last steps


class WorkerStartError(RuntimeError):
    """A worker process did not come up."""


@dataclass
class Outcome:
    """What one run produced, however it ended; steps are kept as the worker's JSON and parsed on demand."""

    status: str
    raw_steps: List[bytes] = field(default_factory=list)
    stdout: str = ""
    stderr: Optional[str] = None
    error: Optional[Dict[str, Any]] = None
    execution_time: float = 0.0

    @cached_property
    def steps(self) -> List[Dict[str, Any]]:
        """Every step as a dict."""
        return [orjson.loads(raw) for raw in self.raw_steps]

    def last_step(self) -> Optional[Dict[str, Any]]:
        """The final step, parsed, or None."""
        return orjson.loads(self.raw_steps[-1]) if self.raw_steps else None

    def step_fragments(self) -> List[Any]:
        """The steps for embedding in an orjson reply without re-encoding them (parsed on orjson < 3.10)."""
        fragment = getattr(orjson, "Fragment", None)
        return [fragment(raw) for raw in self.raw_steps] if fragment is not None else self.steps


class Worker:
    """A started worker process waiting for its one job."""

    def __init__(self, proc: asyncio.subprocess.Process, workdir: str, settings: TraceSettings,
                 boxed: bool = False):
        self.proc = proc
        self.boxed = boxed
        self.workdir = workdir
        self.settings = settings
        self._stderr_tail = b""
        self._started = 0.0
        self._lines: Deque[bytes] = deque()
        self._partial: List[bytes] = []
        self._stderr_task = asyncio.ensure_future(self._drain_stderr())

    @classmethod
    async def start(cls, settings: TraceSettings) -> Worker:
        """Spawn a worker under rlimits in a fresh temp dir and wait until it says ready."""
        workdir = tempfile.mkdtemp(prefix="bridge-trace-")
        s = settings
        # In a box the network and writes are already closed off, and Landlock would forbid bwrap's mounts.
        boxed = s.use_bubblewrap and bubblewrap() is not None
        try:
            proc = await asyncio.create_subprocess_exec(
                *worker_command(s.python, workdir if boxed else None), stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=workdir,
                env=worker_env(workdir), start_new_session=True, limit=READ_LIMIT, close_fds=True,
                preexec_fn=limit_setter(s.cpu_time_s, s.memory_mb * 1024 * 1024, s.max_file_bytes,
                                        s.max_open_files, s.isolate_network and not boxed,
                                        workdir if s.restrict_writes and not boxed else None),
            )
        except OSError as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            raise WorkerStartError(f"cannot start a tracer worker: {exc}") from exc
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        worker = cls(proc, workdir, settings, boxed)
        try:
            assert proc.stdout is not None
            line = await asyncio.wait_for(proc.stdout.readline(), s.worker_start_timeout_s)
            if not line or orjson.loads(line).get("t") != "ready":
                raise WorkerStartError(f"tracer worker died while starting: {worker.stderr_tail()}")
        except (asyncio.TimeoutError, orjson.JSONDecodeError) as exc:
            await worker.kill()
            raise WorkerStartError(f"tracer worker did not start in {s.worker_start_timeout_s} s") from exc
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
        self._started = asyncio.get_running_loop().time()
        steps: List[bytes] = []
        try:
            # One timeout around the whole conversation: a wait_for per line would cost a task per step.
            done = await asyncio.wait_for(self._converse(job, steps, on_step, ask), self.settings.wall_time_s)
        except asyncio.TimeoutError:
            await self._collect_after_term(steps)
            return self._failed(steps, "timeout", "TimeoutError",
                                f"the program ran longer than the {self.settings.wall_time_s:g} s wall-time "
                                "limit and was stopped; the steps recorded so far are kept")
        except (ValueError, orjson.JSONDecodeError, ConnectionError):
            return self._failed(steps, "error", "WorkerError",
                                "the worker sent something unreadable and was stopped")
        finally:
            await self.kill()
        if done is None:
            return self._ended(steps)
        return Outcome(done["status"], steps, done.get("stdout") or "", done.get("stderr"), done.get("error"),
                       float(done.get("execution_time") or 0.0))

    async def _converse(self, job: Dict[str, Any], steps: List[bytes],
                        on_step: Optional[StepCallback],
                        ask: Optional[InputCallback]) -> Optional[Dict[str, Any]]:
        """Send the job, collect steps, answer input requests; the `done` message, or None at EOF."""
        self._send(job)
        while True:
            line = await self._next_line()
            if line is None:
                return None
            if line[:1] == b"S":
                raw = line[1:]
                steps.append(raw)
                if on_step is not None:
                    await on_step(raw)
                continue
            message = orjson.loads(line)
            kind = message.get("t")
            if kind == "input_request":
                value = await ask(str(message.get("prompt", ""))) if ask is not None else None
                self._send({"t": "input", "value": value} if value is not None else {"t": "eof"})
            elif kind == "done":
                return message

    async def _next_line(self) -> Optional[bytes]:
        """The next line from the worker, or None at EOF.

        Reads big chunks and splits them here (a readline() per step cost more than the steps), keeping
        unread lines on the worker so that reading can resume after a timeout.
        """
        assert self.proc.stdout is not None
        while not self._lines:
            chunk = await self.proc.stdout.read(READ_CHUNK)
            if not chunk:
                return None
            if b"\n" not in chunk:
                self._partial.append(chunk)
                if sum(map(len, self._partial)) > READ_LIMIT:
                    raise ValueError("a message from the worker is too long")
                continue
            lines = (b"".join(self._partial) + chunk).split(b"\n")
            tail = lines.pop()
            self._partial = [tail] if tail else []
            self._lines.extend(lines)
        return self._lines.popleft()

    async def _collect_after_term(self, steps: List[bytes]) -> None:
        """Ask the worker to hand over its buffered steps (SIGTERM) and read them for a short grace time."""
        assert self.proc.stdout is not None
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)

        async def read_rest() -> None:
            while True:
                line = await self._next_line()
                if line is None:
                    return
                if line[:1] == b"S":
                    steps.append(line[1:])

        with contextlib.suppress(asyncio.TimeoutError, ValueError):
            await asyncio.wait_for(read_rest(), TERM_GRACE_S)

    def _send(self, message: Dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(orjson.dumps(message) + b"\n")

    def _ended(self, steps: List[bytes]) -> Outcome:
        code = self.proc.returncode
        if self.boxed and code is not None and code > 128:
            code = 128 - code  # bwrap reports a child killed by signal N as exit code 128 + N
        if code == -signal.SIGXCPU:
            return self._failed(steps, "timeout", "TimeoutError",
                                f"the program used more than {self.settings.cpu_time_s} s of CPU time and "
                                "was stopped; the steps recorded so far are kept")
        how = f"exit code {code}"
        if code is not None and code < 0:
            how = f"signal {signal.Signals(-code).name}"
        return self._failed(steps, "error", "WorkerCrashed",
                            f"the worker process ended unexpectedly ({how}); the steps recorded so far "
                            "are kept")

    def _failed(self, steps: List[bytes], status: str, kind: str, message: str) -> Outcome:
        last = orjson.loads(steps[-1]) if steps else {}
        stdout, line = last.get("stdout", ""), last.get("line")
        tail = self.stderr_tail() or None
        elapsed = round(asyncio.get_running_loop().time() - self._started, 6)
        return Outcome(status, steps, stdout or "", tail, {"type": kind, "message": message, "line": line,
                                                           "traceback": None}, elapsed)

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
