"""The zygote: a tracer process, imported once, that forks one fresh child per program in its box.

It runs as root in its bubblewrap box (see runbox.py for what a child becomes) and never runs a
program itself: it only reads the host's requests on a SOCK_SEQPACKET socket. For each `fork`
request, carrying the run's step log and control socket as SCM_RIGHTS, it forks; the child closes
everything of the zygote's, builds its run box and waits for its job on the control socket, which
the host sends only after moving the child into the run's own cgroup (it does so ahead of time: each
idle box holds one such child, ready for the next program). The host learns the child's
pid from the `forked` reply's SCM_CREDENTIALS (the kernel translates it out of the box's PID
namespace), and its exit status from `exited`. Plain stdlib, any Python 3.9+.
"""

import contextlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
from typing import Any, Dict, NoReturn, Sequence

from . import encoder, program, tracer  # noqa: F401  (imported once here, so that a run pays only a fork)
from .main import python_version, run_next
from .protocol import Channel
from .runbox import enter
from .steplog import StepLog

MAX_MESSAGE = 65536
BOX_FAILED = 125  # a child that could not build its box exits with this, before any program runs


class Zygote:
    """The request loop; one instance per box."""

    def __init__(self, config: Dict[str, Any], sock: socket.socket) -> None:
        self.config = config
        self.sock = sock
        self.wake_read, self.wake_write = os.pipe()
        os.set_blocking(self.wake_write, False)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that the wake-up fd hears of exits
        signal.set_wakeup_fd(self.wake_write)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.sock, selectors.EVENT_READ)
        self.selector.register(self.wake_read, selectors.EVENT_READ)

    def send(self, message: Dict[str, Any], ancillary: Sequence[Any] = ()) -> None:
        self.sock.sendmsg([json.dumps(message).encode()], list(ancillary))

    def serve(self) -> NoReturn:
        """Answer requests until the host closes the socket."""
        self.send({"t": "ready", "python": python_version()})
        while True:
            for key, _ in self.selector.select():
                if key.fileobj is self.sock:
                    self.request()
                else:
                    os.read(self.wake_read, 512)
                    self.reap()

    def request(self) -> None:
        data, fds, _, _ = socket.recv_fds(self.sock, MAX_MESSAGE, 4)
        if not data:
            os._exit(0)  # the host is gone
        message = json.loads(data)
        if message.get("t") != "fork" or len(fds) != 2:
            for fd in fds:
                os.close(fd)
            return
        pid = os.fork()
        if pid == 0:
            try:
                self.become_run(fds[0], fds[1])
            finally:
                os._exit(BOX_FAILED)
        for fd in fds:
            os.close(fd)
        credentials = struct.pack("3i", pid, 0, 0)  # root may name its child's pid; the host sees its own
        self.send({"t": "forked", "pid": pid}, [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, credentials)])

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.send({"t": "exited", "pid": pid, "code": os.waitstatus_to_exitcode(status)})

    def become_run(self, log_fd: int, channel_fd: int) -> NoReturn:
        """In the forked child: drop everything of the zygote's, build the run box, run one job."""
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            self.selector.close()
            os.close(self.sock.detach())  # detach: the socket object must never close a reused fd number
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)  # the box's standard streams belong to the zygote, not to a run
            keep = {0, 1, 2, log_fd, channel_fd}
            for name in os.listdir("/proc/self/fd"):
                fd = int(name)
                if fd not in keep:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
            enter(self.config)
            sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
            channel = Channel(os.fdopen(channel_fd, "rb"), os.fdopen(os.dup(channel_fd), "wb"))
            log = StepLog(log_fd)
            channel.send({"t": "ready"})  # boxed: the host may now offer this child a program
        except Exception as exc:  # whatever failed, this child must never return into the zygote's loop
            # Said on the run's own channel: the host reports it as the reason the run could not start.
            with contextlib.suppress(OSError):
                message = f"{type(exc).__name__}: {exc}"
                os.write(channel_fd, json.dumps({"t": "box_failed", "message": message}).encode() + b"\n")
            os._exit(BOX_FAILED)
        run_next(channel, log)


def serve() -> None:
    """Entry point in the box."""
    config = json.loads(os.environ.pop("TRACE_ZYGOTE"))
    sock = socket.socket(fileno=int(os.environ.pop("TRACE_ZYGOTE_FD")))
    Zygote(config, sock).serve()
