"""One bubblewrap box: start it inside a fresh cgroup, feed it, watch the clock and caps, tear it down."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
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
SECCOMP = filter_bytes()


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


async def _pipe_reader(fd: int) -> Tuple[asyncio.StreamReader, asyncio.BaseTransport]:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**20)
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0)
    )
    return reader, transport


class RunningBox:
    """A started box; `finish` feeds stdin, waits under the wall clock and returns the outcome."""

    def __init__(self, host: BoxHost, limits: BoxLimits, cgroup: RunCgroup) -> None:
        self.host = host
        self.limits = limits
        self.cgroup = cgroup
        self.proc: Optional[asyncio.subprocess.Process] = None
        self.readers: List[CappedReader] = []
        self.tasks: List[asyncio.Task[None]] = []
        self.transports: List[asyncio.BaseTransport] = []
        self.status_fd: Optional[int] = None
        self.artifact: Optional[CappedReader] = None
        self.output_exceeded = False
        self.input_writer: Optional[asyncio.WriteTransport] = None
        self.ready_reader: Optional[asyncio.StreamReader] = None
        self.cpu_baseline_ns = 0
        self.started_at = time.monotonic()
        self._done = False

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
        cgroup = host.cgroups.create()
        box = cls(host, limits, cgroup)
        try:
            await box._spawn(layout, artifact_cap, input_pipe)
        except BaseException:
            await box.close()
            raise
        return box

    async def _spawn(self, layout: BoxLayout, artifact_cap: int, input_pipe: bool) -> None:
        try:
            self.cgroup.set_limits(self.limits.memory_bytes, self.limits.pids, self.limits.cpus)
        except OSError as e:
            raise SandboxUnavailable(f"Sandbox cannot set the run's cgroup limits: {e}") from e
        keep: List[int] = []
        close_after: List[int] = []
        try:
            status_r, status_w = os.pipe()
            self.status_fd = status_r
            close_after.append(status_w)
            keep.append(status_w)
            layout.status_fd = status_w
            art_r = art_w = in_r = in_w = ready_r = -1
            if artifact_cap:
                art_r, art_w = os.pipe()
                close_after.append(art_w)
                keep.append(art_w)
                layout.env["ARTIFACT_FD"] = str(art_w)
            if input_pipe:
                in_r, in_w = os.pipe()
                close_after.append(in_r)
                keep.append(in_r)
                layout.env["INPUT_FD"] = str(in_r)
                # The interpreter writes one byte here once it waits for code: only then is the box ready.
                ready_r, ready_w = os.pipe()
                close_after.append(ready_w)
                keep.append(ready_w)
                layout.env["READY_FD"] = str(ready_w)
            keep += [fd for fd, _ in layout.files]
            if SECCOMP is not None:
                layout.seccomp_fd = memfd_with(SECCOMP, "seccomp")
                close_after.append(layout.seccomp_fd)
                keep.append(layout.seccomp_fd)
            argv = limited_argv(
                self.cgroup.procs_files(),
                self.limits.rlimits,
                build_argv(self.host.bwrap, self.host.setpriv, self.host.uid, self.host.etc_dir, layout),
                self.host.setpriv,
            )
            try:
                self.proc = await asyncio.create_subprocess_exec(
                    *argv,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    pass_fds=keep,
                    start_new_session=True,
                    limit=2**20,
                )
            except (OSError, subprocess.SubprocessError) as e:
                raise SandboxUnavailable(f"Sandbox could not start the box (cgroup or bwrap): {e}") from e
        finally:
            for fd in close_after:
                with contextlib.suppress(OSError):
                    os.close(fd)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        for stream in (self.proc.stdout, self.proc.stderr):
            reader = CappedReader(stream, self.limits.output_cap, self._on_overflow)
            self.readers.append(reader)
            self.tasks.append(asyncio.ensure_future(reader.run()))
        if artifact_cap:
            stream, transport = await _pipe_reader(art_r)
            self.transports.append(transport)
            self.artifact = CappedReader(stream, artifact_cap, None)
            self.tasks.append(asyncio.ensure_future(self.artifact.run()))
        if input_pipe:
            loop = asyncio.get_running_loop()
            transport, _ = await loop.connect_write_pipe(asyncio.Protocol, os.fdopen(in_w, "wb", buffering=0))
            self.input_writer = transport
            self.ready_reader, ready_transport = await _pipe_reader(ready_r)
            self.transports.append(ready_transport)

    async def wait_ready(self, timeout_s: float) -> None:
        """Wait for a pooled box's interpreter to report it is waiting for code."""
        assert self.ready_reader is not None
        if not await asyncio.wait_for(self.ready_reader.read(1), timeout_s):
            raise ExecutionFailed(f"a warm box exited while starting: {self.readers[1].text().strip()}")

    def _on_overflow(self) -> None:
        self.output_exceeded = True
        self.kill()

    def kill(self) -> None:
        """Kill the whole box: bwrap (its pid 1 dies with it, taking the namespace) and the cgroup."""
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
        self.cgroup.kill()

    def retune(self, memory_bytes: int, cpus: float) -> None:
        """Change memory and CPU limits of a started (pooled) box before it gets code.

        Usage is measured from here: the interpreter's start-up is not the run's.
        """
        self.cgroup.set_limits(memory_bytes, self.limits.pids, cpus)
        self.cgroup.reset_peak()
        self.cpu_baseline_ns = self.cgroup.stats().cpu_time_ns or 0

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

    async def finish(self, stdin: bytes, wall_s: float) -> BoxOutcome:
        """Feed stdin, wait for exit or the wall clock, collect output and usage, tear down."""
        assert self.proc is not None
        started = time.monotonic()
        feeder = asyncio.ensure_future(self._feed(stdin))
        timed_out = False
        try:
            await asyncio.wait_for(self.proc.wait(), timeout=wall_s)
        except asyncio.TimeoutError:
            timed_out = True
        wall_ms = int((time.monotonic() - started) * 1000)
        self.kill()
        await self.proc.wait()
        # Nothing of the box survives bwrap, so the pipes reach EOF; the grace is a backstop only.
        _, pending = await asyncio.wait(self.tasks, timeout=READ_GRACE_S)
        for task in [*pending, feeder]:
            task.cancel()
        stats = self.cgroup.stats()
        status = self._read_status()
        exit_code = status.get("exit-code", self.proc.returncode)
        if "child-pid" not in status and not timed_out:
            err = self.readers[1].text().strip()
            await self.close()
            if self.proc.returncode == PROLOGUE_FAILED:
                raise SandboxUnavailable(f"Sandbox cannot put the run in its cgroup or set its limits: {err}")
            raise ExecutionFailed(f"the box did not start: {err or f'bwrap exited {self.proc.returncode}'}")
        out, err_reader = self.readers
        outcome = BoxOutcome(
            stdout=out.text(),
            stderr=err_reader.text(),
            stdout_truncated=out.truncated,
            stderr_truncated=err_reader.truncated,
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
        await self.close()
        return outcome

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
        """Kill anything left, release fds and remove the cgroup (retrying while processes exit)."""
        if self._done:
            return
        self._done = True
        self.kill()
        if self.proc is not None and self.proc.returncode is None:
            await self.proc.wait()
        for task in self.tasks:
            task.cancel()
        for transport in self.transports:
            transport.close()
        if self.input_writer is not None:
            self.input_writer.close()
        if self.status_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.status_fd)
        if not self.cgroup.remove():
            # Killed processes take a moment to leave the cgroup: finish off the reply's path.
            self.host.cgroups.track(asyncio.ensure_future(_remove_later(self.cgroup)))


async def _remove_later(cgroup: RunCgroup) -> None:
    for _ in range(500):
        cgroup.kill()
        await asyncio.sleep(0.01)
        if cgroup.remove():
            return
