"""One zygote box seen from the server: start it, ask it to fork a run, hear which pid it got and how it ended."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import Dict, Optional, Tuple

import orjson

from ..containment import BoxHost, ContainedProcess, ContainmentUnavailable, SpawnFds
from .launch import zygote_layout, zygote_limits
from .settings import TraceSettings
from .stderrtail import StderrTail

MAX_MESSAGE = 65536
CREDENTIALS = struct.Struct("3i")


class ZygoteStartError(RuntimeError):
    """A zygote box did not come up."""


class ZygoteBox:
    """A box whose zygote forks one fresh, boxed child per run; it serves one run at a time.

    `runs` counts the children it forked, so that the pool can retire it after many.
    """

    def __init__(self, box: ContainedProcess, proc: asyncio.subprocess.Process, sock: socket.socket) -> None:
        self.box = box
        self.proc = proc
        self.sock = sock
        self.runs = 0
        self.python = ""
        self._inbox: asyncio.Queue[Tuple[Dict[str, object], Optional[int]]] = asyncio.Queue()
        self._exits: Dict[int, asyncio.Future[Optional[int]]] = {}
        self._forked: Optional[asyncio.Future[Tuple[int, int]]] = None
        self._dead = False
        loop = asyncio.get_running_loop()
        loop.add_reader(sock.fileno(), self._on_readable)
        self._fd2 = StderrTail(proc.stderr)

    @classmethod
    async def start(cls, settings: TraceSettings, host: BoxHost) -> ZygoteBox:
        """Box a zygote in its own cgroup and wait until it says ready."""
        limits = zygote_limits(settings)
        try:
            box = ContainedProcess(host, limits, await ContainedProcess.make_cgroup(host, limits))
        except ContainmentUnavailable as exc:
            raise ZygoteStartError(f"cannot box a tracer zygote: {exc}") from exc
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        ours.setblocking(False)
        fds = SpawnFds()
        fds.box_only(theirs.detach())
        try:
            proc = await box.spawn(zygote_layout(settings, fds.box_ends[0]), fds, stdin=asyncio.subprocess.DEVNULL,
                                   stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        except (OSError, ContainmentUnavailable) as exc:
            ours.close()
            await box.close()
            raise ZygoteStartError(f"cannot start a tracer zygote: {exc}") from exc
        except BaseException:
            ours.close()
            await box.close()
            raise
        finally:
            fds.close_box_ends()
        zygote = cls(box, proc, ours)
        try:
            message, _ = await asyncio.wait_for(zygote._inbox.get(), settings.worker_start_timeout_s)
            if message.get("t") != "ready":
                raise ZygoteStartError(f"tracer zygote died while starting: {zygote.stderr_tail().strip()}")
            zygote.python = str(message.get("python", ""))
        except asyncio.TimeoutError as exc:
            await zygote.close()
            raise ZygoteStartError(f"tracer zygote did not start in {settings.worker_start_timeout_s} s") from exc
        except BaseException:
            await zygote.close()
            raise
        return zygote

    @property
    def alive(self) -> bool:
        """True while the zygote runs and answers."""
        return not self._dead and self.proc.returncode is None

    def stderr_tail(self) -> str:
        """The last few KB the zygote wrote to fd 2 (an interpreter that failed to start)."""
        return self._fd2.text()

    def _on_readable(self) -> None:
        try:
            data, ancillary, _, _ = self.sock.recvmsg(MAX_MESSAGE, socket.CMSG_SPACE(CREDENTIALS.size))
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data, ancillary = b"", []
        if not data:
            self._died()
            return
        pid: Optional[int] = None
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS and len(payload) >= CREDENTIALS.size:
                pid = CREDENTIALS.unpack_from(payload)[0]
        try:
            message = orjson.loads(data)
        except orjson.JSONDecodeError:
            self._died()
            return
        if not isinstance(message, dict):
            return
        kind_ = message.get("t")
        if kind_ == "forked" and self._forked is not None and not self._forked.done():
            child = message.get("pid")
            if pid is None or not isinstance(child, int):
                self._forked.set_exception(ZygoteStartError("the zygote's fork reply carried no pid"))
            else:
                self._forked.set_result((pid, child))
        elif kind_ == "exited":
            child, code = message.get("pid"), message.get("code")
            if isinstance(child, int):
                future = self._exit_future(child)
                if not future.done():
                    future.set_result(code if isinstance(code, int) else None)
        else:
            self._inbox.put_nowait((message, pid))

    def _died(self) -> None:
        if self._dead:
            return
        self._dead = True
        with contextlib.suppress(ValueError, OSError):
            asyncio.get_running_loop().remove_reader(self.sock.fileno())
        if self._forked is not None and not self._forked.done():
            self._forked.set_exception(ZygoteStartError(f"the tracer zygote died: {self.stderr_tail().strip()}"))
        for future in self._exits.values():
            if not future.done():
                future.set_result(None)  # nobody left to reap it: the box's kill ends it
        self._inbox.put_nowait(({"t": "gone"}, None))

    def _exit_future(self, child: int) -> asyncio.Future[Optional[int]]:
        future = self._exits.get(child)
        if future is None:
            future = self._exits[child] = asyncio.get_running_loop().create_future()
            if self._dead:
                future.set_result(None)
        return future

    async def fork(self, log_fd: int, channel_fd: int, timeout: float) -> Tuple[int, asyncio.Future[Optional[int]]]:
        """A new child holding `log_fd` and `channel_fd`: its host pid and the future of its exit code."""
        if not self.alive:
            raise ZygoteStartError("the tracer zygote is gone")
        self._forked = asyncio.get_running_loop().create_future()
        try:
            socket.send_fds(self.sock, [b'{"t":"fork"}'], [log_fd, channel_fd])
            host_pid, child = await asyncio.wait_for(asyncio.shield(self._forked), timeout)
        except (OSError, asyncio.TimeoutError) as exc:
            self._died()
            raise ZygoteStartError(f"the tracer zygote did not fork: {exc}") from exc
        finally:
            self._forked = None
        self.runs += 1
        exited = self._exit_future(child)
        exited.add_done_callback(lambda _: self._exits.pop(child, None))
        return host_pid, exited

    async def close(self) -> None:
        """Kill the box with everything in it and remove its cgroup."""
        self._died()
        await self.box.close()
        await self._fd2.finished()
        self.sock.close()
