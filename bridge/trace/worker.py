"""One worker process seen from the server: box it, give it one program, read its step log, end it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Awaitable, Callable, Dict, List, Optional, Protocol

import orjson

from ..containment import BoxHost, ContainedProcess, ContainmentUnavailable, SpawnFds
from ..containment.cgroups import RunCgroup
from .child.steplog import STDERR, STDOUT, STEP, LogReader
from .launch import log_size, worker_layout, worker_limits
from .settings import TraceSettings
from .stderrtail import StderrTail

StepCallback = Callable[[bytes], Awaitable[None]]  # gets the JSON text of one step, as produced
InputCallback = Callable[[str], Awaitable[Optional[str]]]
CONTROL_LIMIT = 1 << 20  # control messages are small; anything longer is a broken worker
STREAM_POLL_S = 0.025  # a streaming client sees a step at most about two polls after it was made
ENDED_BY_WORKER = frozenset({"completed", "error", "limit_reached", "awaiting_input"})


class WorkerStartError(RuntimeError):
    """A worker process did not come up."""


class RunProcess(Protocol):
    """What a Worker needs of its process: asyncio's Process (a box per worker) or a zygote's child."""

    stdin: Optional[asyncio.StreamWriter]
    stdout: Optional[asyncio.StreamReader]
    stderr: Optional[asyncio.StreamReader]

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> Optional[int]: ...

    async def wait(self) -> int: ...


class RunBox(Protocol):
    """What a Worker needs of its box: the run's cgroup, a kill of everything in it, and the teardown."""

    cgroup: RunCgroup

    def kill(self) -> None: ...

    async def close(self) -> None: ...


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


def new_log(size: int) -> int:
    """A sealed shared-memory file of `size` bytes for one worker's step log: the worker cannot resize it
    (a shrink would make the server's reads fault)."""
    import fcntl  # Linux only, like every box

    fd = os.memfd_create("trace-log", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    try:
        os.ftruncate(fd, size)
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL)
    except OSError:
        os.close(fd)
        raise
    return fd


class Worker:
    """A started worker process in its box, waiting for its one job."""

    def __init__(self, box: RunBox, proc: RunProcess, log: LogReader, settings: TraceSettings):
        self.box = box
        self.proc = proc
        self.log = log
        self.settings = settings
        self.raw_steps: List[bytes] = []
        self._stdout: List[bytes] = []
        self._stderr: List[bytes] = []
        self._started = 0.0
        self._delivered = 0  # steps handed to the streaming callback so far
        self._reading = asyncio.Lock()
        self._fd2 = StderrTail(proc.stderr)

    @classmethod
    async def start(cls, settings: TraceSettings, host: BoxHost) -> Worker:
        """Box a worker in a fresh cgroup and wait until it says ready."""
        limits = worker_limits(settings)
        try:
            box = ContainedProcess(host, limits, await ContainedProcess.make_cgroup(host, limits))
        except ContainmentUnavailable as exc:
            raise WorkerStartError(f"cannot box a tracer worker: {exc}") from exc
        size = log_size(settings)
        log_fd = -1
        try:
            log_fd = new_log(size)
            log = LogReader(log_fd, size)
            fds = SpawnFds()
            fds.shared(log_fd)
            proc = await box.spawn(worker_layout(settings, log_fd), fds, stdin=asyncio.subprocess.PIPE,
                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                                   limit=CONTROL_LIMIT)
        except (OSError, ContainmentUnavailable) as exc:
            await box.close()
            raise WorkerStartError(f"cannot start a tracer worker: {exc}") from exc
        except BaseException:
            await box.close()
            raise
        finally:
            if log_fd >= 0:
                os.close(log_fd)  # the box has its copy, the server its mapping
        worker = cls(box, proc, log, settings)
        try:
            assert proc.stdout is not None
            line = await asyncio.wait_for(proc.stdout.readline(), settings.worker_start_timeout_s)
            if not line or orjson.loads(line).get("t") != "ready":
                raise WorkerStartError(f"tracer worker died while starting: {worker.stderr_tail().strip()}")
        except (asyncio.TimeoutError, orjson.JSONDecodeError, ValueError) as exc:
            await worker.kill()
            raise WorkerStartError(f"tracer worker did not start in {settings.worker_start_timeout_s} s") from exc
        except BaseException:
            await worker.kill()
            raise
        return worker

    @property
    def alive(self) -> bool:
        """True while the process has not exited."""
        return self.proc.returncode is None

    def stderr_tail(self) -> str:
        """The last few KB written to fd 2 directly (interpreter crashes, a box that failed to start)."""
        return self._fd2.text()

    async def run(self, job: Dict[str, Any], on_step: Optional[StepCallback] = None,
                  ask: Optional[InputCallback] = None) -> Outcome:
        """Run one job to its end, a limit or the worker's death; the box is gone afterwards.

        Whatever ended it, every step and all output the program produced are read from the log.
        """
        self._started = asyncio.get_running_loop().time()
        streamer = asyncio.ensure_future(self._stream(on_step)) if on_step is not None else None
        done: Optional[Dict[str, Any]] = None
        ended = "exited"
        try:
            # One timeout around the whole conversation: a wait_for per message would cost a task each.
            done = await asyncio.wait_for(self._converse(job, on_step, ask), self.settings.wall_time_s)
        except asyncio.TimeoutError:
            ended = "timeout"
        except (ValueError, orjson.JSONDecodeError, ConnectionError):
            ended = "unreadable"
        finally:
            if streamer is not None:
                streamer.cancel()
            self.box.kill()  # at once, even when the request itself is cancelled
        if done is None:
            await self.proc.wait()  # its exit status says why it ended
        # After `done` the worker wrote nothing more of its own; the kill ends whatever the program left.
        await self._take(self.log.written(), on_step)
        outcome = self._outcome(done, ended)
        await self.kill()
        return outcome

    def _outcome(self, done: Optional[Dict[str, Any]], ended: str) -> Outcome:
        if ended == "timeout":
            return self._failed("timeout", "TimeoutError",
                                f"the program ran longer than the {self.settings.wall_time_s:g} s wall-time "
                                "limit and was stopped; the steps recorded so far are kept")
        if ended == "unreadable":
            return self._failed("error", "WorkerError", "the worker sent something unreadable and was stopped")
        if done is None:
            return self._ended()
        status = done.get("status")
        error = done.get("error")
        seconds = done.get("execution_time")
        return Outcome(status if status in ENDED_BY_WORKER else "error", self.raw_steps, self._text(self._stdout),
                       self._text(self._stderr) or None, error if isinstance(error, dict) else None,
                       float(seconds) if isinstance(seconds, (int, float)) else 0.0)

    async def _converse(self, job: Dict[str, Any], on_step: Optional[StepCallback],
                        ask: Optional[InputCallback]) -> Optional[Dict[str, Any]]:
        """Send the job, answer input requests; the `done` message, or None when the worker ends without one."""
        self._send(job)
        assert self.proc.stdout is not None
        while True:
            line = await self.proc.stdout.readline()
            if not line:
                return None
            message = orjson.loads(line)
            kind = message.get("t") if isinstance(message, dict) else None
            if kind == "input_request":
                # The worker wrote every step before asking: a client sees them before the prompt.
                await self._take(self.log.written(), on_step)
                value = await ask(str(message.get("prompt", ""))) if ask is not None else None
                self._send({"t": "input", "value": value} if value is not None else {"t": "eof"})
            elif kind == "done":
                return message

    async def _stream(self, on_step: StepCallback) -> None:
        """Hand new steps to a streaming client while the program runs.

        Each poll takes records only up to where the previous poll saw the log end: on a CPU that
        reorders stores, a record's bytes are then certainly visible before the server reads them.
        """
        seen = self.log.written()
        while True:
            await asyncio.sleep(STREAM_POLL_S)
            until, seen = seen, self.log.written()
            await self._take(until, on_step)

    async def _take(self, until: int, on_step: Optional[StepCallback]) -> None:
        """Read the log up to `until`, keep what it holds, and stream the steps not yet streamed."""
        async with self._reading:
            for kind, payload in self.log.read(until):
                if kind == STEP:
                    self.raw_steps.append(payload)
                elif kind == STDOUT:
                    self._stdout.append(payload)
                elif kind == STDERR:
                    self._stderr.append(payload)
            if on_step is not None:
                while self._delivered < len(self.raw_steps):
                    self._delivered += 1
                    await on_step(self.raw_steps[self._delivered - 1])

    def _send(self, message: Dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(orjson.dumps(message) + b"\n")

    def _ended(self) -> Outcome:
        """The worker ended without reporting: say which limit, or how it died."""
        code = self.proc.returncode
        if code is not None and code > 128:
            code = 128 - code  # the box reports a child killed by signal N as exit code 128 + N
        stats = self.box.cgroup.stats()
        cpu_limit_ns = self.settings.cpu_time_s * 1_000_000_000
        if stats.oom_killed:
            return self._failed("memory_limit", "MemoryError",
                                f"the program used more than the {self.settings.memory_mb} MB memory limit and "
                                "was stopped; the steps recorded so far are kept")
        if code == -signal.SIGXCPU or (code == -signal.SIGKILL and (stats.cpu_time_ns or 0) >= cpu_limit_ns):
            return self._failed("timeout", "TimeoutError",
                                f"the program used more than {self.settings.cpu_time_s} s of CPU time and "
                                "was stopped; the steps recorded so far are kept")
        how = f"exit code {code}"
        if code is not None and code < 0:
            how = f"signal {signal.Signals(-code).name}"
        return self._failed("error", "WorkerCrashed",
                            f"the worker process ended unexpectedly ({how}); the steps recorded so far are kept")

    def _failed(self, status: str, kind: str, message: str) -> Outcome:
        line = None
        for raw in reversed(self.raw_steps[-2:]):  # a final raw_input or limit entry has no line (as in OPT)
            with contextlib.suppress(orjson.JSONDecodeError):
                step = orjson.loads(raw)
                line = step.get("line") if isinstance(step, dict) else None
            if line is not None:
                break
        stderr = self._text(self._stderr) or self.stderr_tail() or None
        elapsed = round(asyncio.get_running_loop().time() - self._started, 6)
        return Outcome(status, self.raw_steps, self._text(self._stdout), stderr,
                       {"type": kind, "message": message, "line": line, "traceback": None}, elapsed)

    @staticmethod
    def _text(parts: List[bytes]) -> str:
        return b"".join(parts).decode("utf-8", "replace")

    async def kill(self) -> None:
        """Kill the box with everything in it, reap it, remove its cgroup and unmap the log."""
        await self.box.close()
        await self._fd2.finished()
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.log.close()
