"""One run forked by a zygote, seen from the server: in its own cgroup, read like any worker (worker.py)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
from typing import Callable, Optional

import orjson

from ..containment import close_all
from ..containment.cgroups import RunCgroup
from .child.steplog import LogReader
from .launch import log_size
from .settings import TraceSettings
from .worker import CONTROL_LIMIT, Worker, new_log
from .zygote import ZygoteBox, ZygoteStartError

SETTLE_TRIES = 300  # x 10 ms: how long a run's last processes may take to leave its cgroup


class ForkedProcess:
    """The run's process: the parts of asyncio's Process that a Worker uses."""

    def __init__(self, pid: int, pidfd: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 exited: asyncio.Future[Optional[int]]) -> None:
        self.pid = pid
        self.pidfd = pidfd
        self.stdout: Optional[asyncio.StreamReader] = reader
        self.stdin: Optional[asyncio.StreamWriter] = writer
        self.stderr: Optional[asyncio.StreamReader] = None  # fd 2 of a run is /dev/null: output goes to the log
        self._exited = exited

    @property
    def returncode(self) -> Optional[int]:
        """Exit code (negative: killed by that signal), as the zygote reaped it; None while it runs."""
        if not self._exited.done():
            return None
        code = self._exited.result()
        return -signal.SIGKILL if code is None else code  # the zygote died first: the box's kill ended it

    async def wait(self) -> int:
        """Wait until the zygote has reaped the process."""
        await asyncio.shield(self._exited)
        code = self.returncode
        assert code is not None
        return code


class ForkedBox:
    """The run's share of a zygote box: its own cgroup; `kill` ends everything the run started."""

    def __init__(self, proc: ForkedProcess, cgroup: RunCgroup, settled: Callable[[bool], None]) -> None:
        self.proc = proc
        self.cgroup = cgroup
        self._settled = settled
        self._closing: Optional[asyncio.Future[None]] = None
        # As in a box of its own (where the box's init dies with it): when the run's process ends, so does
        # everything it started, and with them every copy of its control socket, so the server sees the end.
        proc._exited.add_done_callback(lambda _: self.cgroup.kill())

    def kill(self) -> None:
        """SIGKILL the run's process (through its pidfd: never a recycled pid) and its cgroup."""
        if self.proc.returncode is None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.proc.pidfd, signal.SIGKILL)
        self.cgroup.kill()

    async def close(self) -> None:
        """Kill, wait for the process; the cgroup is emptied and removed in the background, then the
        zygote is handed back (`settled(True)`) or, if something of the run lingers, retired."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close())
        await asyncio.shield(self._closing)

    async def _close(self) -> None:
        self.kill()
        _keep(asyncio.ensure_future(self._settle()))  # the reply need not wait for the reaping

    async def _settle(self) -> None:
        await self.proc.wait()
        close_all([self.proc.pidfd])
        for _ in range(SETTLE_TRIES):
            self.cgroup.kill()
            if await asyncio.to_thread(self.cgroup.remove):
                self._settled(True)
                return
            await asyncio.sleep(0.01)
        self._settled(False)


_TASKS: set[asyncio.Future[None]] = set()


def _keep(task: asyncio.Future[None]) -> None:
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


async def settle_all(timeout: float) -> None:
    """Wait (bounded) for the cgroups of runs that ended to be emptied and removed."""
    if _TASKS:
        await asyncio.wait(list(_TASKS), timeout=timeout)


async def fork_worker(zygote: ZygoteBox, cgroup: RunCgroup, settings: TraceSettings,
                      settled: Callable[[bool], None]) -> Worker:
    """A fresh child of `zygote`, boxed and moved into `cgroup`, waiting for its program, as a Worker.

    Called ahead of a run (the move into a cgroup can take milliseconds on the kernel's locks).
    """
    size = log_size(settings)
    log_fd = new_log(size)
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    log: Optional[LogReader] = None
    pidfd = -1
    try:
        log = LogReader(log_fd, size)
        pid, exited = await zygote.fork(log_fd, theirs.fileno(), settings.worker_start_timeout_s)
        try:
            pidfd = os.pidfd_open(pid)
            # The child waits for its job on the control socket, sent only after this move: no code of the
            # run ever runs outside its cgroup.
            await asyncio.to_thread(cgroup.add, pid)
        except OSError as exc:
            raise ZygoteStartError(f"cannot move the run into its cgroup: {exc}") from exc
        reader, writer = await asyncio.open_unix_connection(sock=ours, limit=CONTROL_LIMIT)
        line = await asyncio.wait_for(reader.readline(), settings.worker_start_timeout_s)
        message = orjson.loads(line) if line else {}
        if not isinstance(message, dict) or message.get("t") != "ready":
            why = message.get("message") if isinstance(message, dict) else None
            raise ZygoteStartError(f"a forked run could not build its box: {why or 'it ended'}")
    except BaseException as exc:
        if pidfd >= 0:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            close_all([pidfd])
        if log is not None:
            log.close()
        ours.close()
        if isinstance(exc, (asyncio.TimeoutError, orjson.JSONDecodeError)):
            raise ZygoteStartError(f"a forked run did not get ready: {exc!r}") from exc
        raise
    finally:
        os.close(log_fd)  # the child has its copy, the server its mapping
        theirs.close()
    proc = ForkedProcess(pid, pidfd, reader, writer, exited)
    return Worker(ForkedBox(proc, cgroup, settled), proc, log, settings)
