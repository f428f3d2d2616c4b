"""One bubblewrap box: start it inside a fresh cgroup, feed it, watch the clock and caps, tear it down."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .bwrap import BoxLayout, build_argv, memfd_with
from .cgroups import CgroupManager, RunCgroup
from .errors import ExecutionFailed, SandboxUnavailable
from .limits import PROLOGUE_FAILED, Rlimits, limited_argv
from .seccomp import filter_bytes
from .streams import CappedReader

READ_GRACE_S = 1.0
REPORT_LIMIT = 4096  # the box can write anything to its report pipe: keep what is read bounded
SECCOMP = filter_bytes()  # None on a CPU without a table: boxes keep every other layer; health says so


@dataclass(frozen=True)
class BoxLimits:
    """Everything that bounds one box."""

    memory_bytes: int
    pids: int
    cpus: float
    rlimits: Rlimits
    output_cap: int


@dataclass
class BoxOutcome:
    """What happened in the box, as the host observed it (never by following paths inside it)."""

    stdout: str
    stderr: str
    stdout_truncated: bool
    stderr_truncated: bool
    exit_code: Optional[int]
    timed_out: bool
    output_exceeded: bool
    oom_killed: bool
    memory_peak_bytes: Optional[int]
    cpu_time_ns: Optional[int]
    wall_ms: int
    artifact: Optional[bytes] = None
    artifact_exceeded: bool = False


@dataclass(frozen=True)
class BoxHost:
    """Host-side facts every box needs."""

    bwrap: str
    setpriv: str
    uid: int
    etc_dir: str
    cgroups: CgroupManager


class _SpawnFds:
    """The pipes of one spawn: box ends go to bwrap and are closed here once it has them; host ends
    stay open for reading and writing, and are closed again only if the spawn fails."""

    def __init__(self) -> None:
        self.passed: List[int] = []  # extra fds bwrap inherits
        self.box_ends: List[int] = []
        self.host_ends: List[int] = []

    def pipe(self, box_reads: bool = False, passed: bool = True) -> Tuple[int, int]:
        """(host end, box end) of a new pipe; the box writes unless `box_reads`."""
        read, write = os.pipe()
        host, box = (write, read) if box_reads else (read, write)
        self.host_ends.append(host)
        self.box_only(box, passed)
        return host, box

    def box_only(self, fd: int, passed: bool = True) -> int:
        self.box_ends.append(fd)
        if passed:
            self.passed.append(fd)
        return fd

    def close_box_ends(self) -> None:
        _close_all(self.box_ends)

    def close_host_ends(self) -> None:
        _close_all(self.host_ends)


def _close_all(fds: List[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


async def _report_reader(fd: int) -> Tuple[asyncio.StreamReader, asyncio.BaseTransport]:
    """A line reader on a pooled interpreter's report pipe."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=REPORT_LIMIT)
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0)
    )
    return reader, transport


def parse_exit_report(line: bytes) -> Optional[int]:
    """The exit status in a pooled interpreter's final report (`exit N`), or None if it is not one."""
    match = re.fullmatch(rb"exit (\d{1,3})\n", line)
    return int(match.group(1)) & 0xFF if match else None


class RunningBox:
    """A started box; `finish` feeds stdin, waits under the wall clock and returns the outcome.

    A pooled box's interpreter reports on a pipe of its own: one byte once it waits for code,
    then `exit N` once the code is done and its output flushed. That report ends the run at
    once; without it (a crash, `os._exit`, a compiled program) the run ends when bwrap exits.
    """

    def __init__(self, host: BoxHost, limits: BoxLimits, cgroup: RunCgroup) -> None:
        self.host = host
        self.limits = limits
        self.cgroup = cgroup
        self.proc: Optional[asyncio.subprocess.Process] = None
        self.readers: List[CappedReader] = []
        self.transports: List[asyncio.BaseTransport] = []
        self.status_fd: Optional[int] = None
        self.artifact: Optional[CappedReader] = None
        self.output_exceeded = False
        self.input_writer: Optional[asyncio.WriteTransport] = None
        self.report: Optional[asyncio.StreamReader] = None
        self.pidfd: Optional[int] = None
        self.cpu_baseline_ns = 0
        self._closing: Optional[asyncio.Future[None]] = None

    @classmethod
    async def start(
        cls,
        host: BoxHost,
        layout: BoxLayout,
        limits: BoxLimits,
        artifact_cap: int = 0,
        input_pipe: bool = False,
    ) -> RunningBox:
        """Create the cgroup, spawn bwrap inside it; fails closed if the cgroup cannot be set up."""
        # mkdir in a cgroup hierarchy can wait milliseconds on the kernel's cgroup locks while other
        # boxes are torn down: not on the event loop.
        made = asyncio.get_running_loop().run_in_executor(None, _limited_cgroup, host.cgroups, limits)
        try:
            cgroup = await asyncio.shield(made)
        except asyncio.CancelledError:
            made.add_done_callback(_remove_made)  # the thread finishes anyway: take back what it made
            raise
        box = cls(host, limits, cgroup)
        try:
            await box._spawn(layout, artifact_cap, input_pipe)
        except BaseException:
            await box.close()
            raise
        return box

    async def _spawn(self, layout: BoxLayout, artifact_cap: int, input_pipe: bool) -> None:
        fds = _SpawnFds()
        try:
            status_r, layout.status_fd = fds.pipe()
            out_r, out_w = fds.pipe(passed=False)  # bwrap's stdout and stderr, not extra fds
            err_r, err_w = fds.pipe(passed=False)
            if artifact_cap:
                art_r, art_w = fds.pipe()
                layout.env["ARTIFACT_FD"] = str(art_w)
            if input_pipe:
                in_w, in_r = fds.pipe(box_reads=True)
                layout.env["INPUT_FD"] = str(in_r)
                report_r, report_w = fds.pipe()
                layout.env["REPORT_FD"] = str(report_w)
            if SECCOMP is not None:
                layout.seccomp_fd = fds.box_only(memfd_with(SECCOMP, "seccomp"))
            argv = limited_argv(
                self.cgroup.procs_files(),
                self.limits.rlimits,
                build_argv(self.host.bwrap, self.host.setpriv, self.host.uid, self.host.etc_dir, layout),
            )
            try:
                self.proc = await asyncio.create_subprocess_exec(
                    *argv,
                    stdin=subprocess.PIPE,
                    stdout=out_w,
                    stderr=err_w,
                    pass_fds=[*fds.passed, *(fd for fd, _ in layout.files)],
                    start_new_session=True,
                )
            except (OSError, subprocess.SubprocessError) as e:
                raise SandboxUnavailable(f"Sandbox could not start the box (cgroup or bwrap): {e}") from e
        except BaseException:
            fds.close_host_ends()
            raise
        finally:
            fds.close_box_ends()
        self.status_fd = status_r
        with contextlib.suppress(OSError):  # it may already be gone; the cgroup kill still covers the box
            self.pidfd = os.pidfd_open(self.proc.pid)
        self.readers = [
            CappedReader(out_r, self.limits.output_cap, self._on_overflow),
            CappedReader(err_r, self.limits.output_cap, self._on_overflow),
        ]
        if artifact_cap:
            self.artifact = CappedReader(art_r, artifact_cap, None)
        if input_pipe:
            loop = asyncio.get_running_loop()
            self.input_writer, _ = await loop.connect_write_pipe(asyncio.Protocol, os.fdopen(in_w, "wb", buffering=0))
            self.report, report_transport = await _report_reader(report_r)
            self.transports.append(report_transport)

    async def wait_ready(self, timeout_s: float) -> None:
        """Wait for a pooled box's interpreter to report it is waiting for code."""
        assert self.report is not None
        if not await asyncio.wait_for(self.report.read(1), timeout_s):
            raise ExecutionFailed(f"a warm box exited while starting: {self.readers[1].text().strip()}")

    def _on_overflow(self) -> None:
        self.output_exceeded = True
        self.kill()

    def kill(self) -> None:
        """Kill the whole box: bwrap (its pid 1 dies with it, taking the namespace) and the cgroup.

        bwrap is signalled through a pidfd, never `Process.kill()`: that polls the child first, and
        reaping it there would steal its exit status from asyncio's child watcher.
        """
        if self.pidfd is not None and (self.proc is None or self.proc.returncode is None):
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        self.cgroup.kill()

    def retune(self, limits: BoxLimits) -> None:
        """Give a started (pooled) box the request's limits before it gets code; only what differs is written.

        CPU time is counted from here: the interpreter's start-up is not the run's. Peak memory
        includes it, as it would for the same program started cold.
        """
        if (limits.memory_bytes, limits.cpus) != (self.limits.memory_bytes, self.limits.cpus):
            self.cgroup.set_limits(limits.memory_bytes, limits.pids, limits.cpus)
        if limits.rlimits != self.limits.rlimits:
            import resource  # Linux only, like the rest of the running side; settings import anywhere

            cpu, space = limits.rlimits.cpu_seconds, limits.rlimits.address_space_bytes or resource.RLIM_INFINITY
            for pid in self.cgroup.pids():
                with contextlib.suppress(ProcessLookupError):
                    resource.prlimit(pid, resource.RLIMIT_CPU, (cpu, cpu))
                    resource.prlimit(pid, resource.RLIMIT_AS, (space, space))
        self.limits = limits
        self.cpu_baseline_ns = self.cgroup.cpu_time_ns() or 0

    def send_input(self, data: bytes) -> None:
        """Write `data` to the box's input pipe (then close it)."""
        assert self.input_writer is not None
        self.input_writer.write(data)
        self.input_writer.close()

    async def _feed(self, data: bytes) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            if data:
                self.proc.stdin.write(data)
                await self.proc.stdin.drain()
            self.proc.stdin.close()
        except (BrokenPipeError, ConnectionResetError):
            pass

    async def _reported_exit(self) -> Optional[int]:
        """The exit status the pooled interpreter reports, or None once its report pipe closes without one."""
        assert self.report is not None
        with contextlib.suppress(ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            while True:
                line = await self.report.readline()
                if not line:
                    return None
                code = parse_exit_report(line)
                if code is not None:
                    return code
        return None

    async def finish(self, stdin: bytes, wall_s: float) -> BoxOutcome:
        """Feed stdin, wait for the exit report, exit or the wall clock; collect output and usage; tear down."""
        assert self.proc is not None
        started = time.monotonic()
        feeder = asyncio.ensure_future(self._feed(stdin))
        exited = asyncio.ensure_future(self.proc.wait())
        reported = asyncio.ensure_future(self._reported_exit()) if self.report is not None else None
        try:
            pending = {exited} if reported is None else {exited, reported}
            done, _ = await asyncio.wait(pending, timeout=wall_s, return_when=asyncio.FIRST_COMPLETED)
            if reported is not None and reported in done and reported.result() is None and not exited.done():
                # The report pipe closed without a status (the code closed it, or exited hard): wait for bwrap.
                done, _ = await asyncio.wait({exited}, timeout=max(0.0, wall_s - (time.monotonic() - started)))
            wall_ms = int((time.monotonic() - started) * 1000)
            code = reported.result() if reported is not None and reported.done() else None
            if code is not None:
                return self._finish_reported(code, wall_ms)
            return await self._finish_exited(timed_out=not done, wall_ms=wall_ms)
        finally:
            for task in (feeder, exited, reported):
                if task is not None:
                    task.cancel()

    def _finish_reported(self, exit_code: int, wall_ms: int) -> BoxOutcome:
        """The interpreter reported its exit: everything it wrote is in the pipes, so take it and go.

        bwrap's own teardown (namespaces, mounts) then runs in the background instead of in the reply.
        """
        for reader in self.readers:
            reader.drain()
        outcome = self._outcome(exit_code, timed_out=False, wall_ms=wall_ms)
        self.host.cgroups.track(asyncio.ensure_future(self.close()))  # kills whatever the code left running
        return outcome

    async def _finish_exited(self, timed_out: bool, wall_ms: int) -> BoxOutcome:
        assert self.proc is not None
        self.kill()
        await self.proc.wait()
        # Nothing of the box survives bwrap, so the pipes reach EOF; the grace is a backstop only.
        await asyncio.wait([asyncio.ensure_future(r.wait_eof()) for r in self._pipes()], timeout=READ_GRACE_S)
        for reader in self._pipes():
            reader.drain()
        status = self._read_status()
        if "child-pid" not in status and not timed_out:
            err = self.readers[1].text().strip()
            await self.close()
            if self.proc.returncode == PROLOGUE_FAILED:
                raise SandboxUnavailable(f"Sandbox cannot put the run in its cgroup or set its limits: {err}")
            raise ExecutionFailed(f"the box did not start: {err or f'bwrap exited {self.proc.returncode}'}")
        outcome = self._outcome(status.get("exit-code", self.proc.returncode), timed_out, wall_ms)
        await self.close()
        return outcome

    def _pipes(self) -> List[CappedReader]:
        """Every pipe the host reads from the box: stdout, stderr and a compile's artifact."""
        return [*self.readers, *([self.artifact] if self.artifact else [])]

    def _outcome(self, exit_code: Optional[int], timed_out: bool, wall_ms: int) -> BoxOutcome:
        stats = self.cgroup.stats()
        out, err = self.readers
        return BoxOutcome(
            stdout=out.text(),
            stderr=err.text(),
            stdout_truncated=out.truncated,
            stderr_truncated=err.truncated,
            exit_code=None if timed_out or self.output_exceeded else exit_code,
            timed_out=timed_out and not self.output_exceeded,
            output_exceeded=self.output_exceeded,
            oom_killed=stats.oom_killed,
            memory_peak_bytes=stats.memory_peak_bytes,
            cpu_time_ns=None if stats.cpu_time_ns is None else max(0, stats.cpu_time_ns - self.cpu_baseline_ns),
            wall_ms=wall_ms,
            artifact=bytes(self.artifact.data) if self.artifact else None,
            artifact_exceeded=bool(self.artifact and self.artifact.truncated),
        )

    def _read_status(self) -> dict:
        """bwrap's --json-status-fd: child-pid once the box runs, exit-code when it ends."""
        if self.status_fd is None:
            return {}
        chunks = []
        os.set_blocking(self.status_fd, False)
        with contextlib.suppress(OSError):
            while True:
                chunk = os.read(self.status_fd, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        status: dict = {}
        # bwrap writes one JSON object per line/event.
        for part in b"".join(chunks).decode(errors="replace").replace("}", "}\n").splitlines():
            with contextlib.suppress(ValueError):
                status.update(json.loads(part))
        return status

    async def close(self) -> None:
        """Kill anything left, release fds and remove the cgroup; every caller waits for the one teardown."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close())
        await asyncio.shield(self._closing)

    async def _close(self) -> None:
        self.kill()
        if self.proc is not None and self.proc.returncode is None:
            await self.proc.wait()
        for reader in self._pipes():
            reader.close()
        for transport in self.transports:
            transport.close()
        if self.input_writer is not None:
            self.input_writer.close()
        _close_all([fd for fd in (self.status_fd, self.pidfd) if fd is not None])
        # rmdir of a cgroup can wait milliseconds on the kernel's cgroup locks: not on the event loop.
        if not await asyncio.to_thread(self.cgroup.remove):
            # Killed processes take a moment to leave the cgroup: finish off the reply's path.
            self.host.cgroups.track(asyncio.ensure_future(_remove_later(self.cgroup)))


def _limited_cgroup(cgroups: CgroupManager, limits: BoxLimits) -> RunCgroup:
    """A new run cgroup with the box's limits set, or SandboxUnavailable (and nothing left behind)."""
    cgroup = cgroups.create()
    try:
        cgroup.set_limits(limits.memory_bytes, limits.pids, limits.cpus)
    except OSError as e:
        cgroup.remove()
        raise SandboxUnavailable(f"Sandbox cannot set the run's cgroup limits: {e}") from e
    return cgroup


def _remove_made(made: asyncio.Future[RunCgroup]) -> None:
    if not made.cancelled() and made.exception() is None:
        made.result().remove()


async def _remove_later(cgroup: RunCgroup) -> None:
    for _ in range(500):
        cgroup.kill()
        await asyncio.sleep(0.01)
        if await asyncio.to_thread(cgroup.remove):
            return
