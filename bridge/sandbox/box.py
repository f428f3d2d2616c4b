"""One bubblewrap box: start it inside a fresh cgroup, feed it, watch the clock and caps, tear it down."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import time
from dataclasses import dataclass
from typing import List, Optional, Tuple

from ..containment import (
    PROLOGUE_FAILED,
    BoxHost,
    BoxLayout,
    BoxLimits,
    ContainedProcess,
    ContainmentUnavailable,
    SpawnFds,
    close_all,
)
from ..containment.cgroups import RunCgroup
from .errors import ExecutionFailed, SandboxUnavailable
from .streams import CappedReader

READ_GRACE_S = 1.0
REPORT_LIMIT = 4096  # the box can write anything to its report pipe: keep what is read bounded


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


class RunningBox(ContainedProcess):
    """A started box; `finish` feeds stdin, waits under the wall clock and returns the outcome.

    A pooled box's interpreter reports on a pipe of its own: one byte once it waits for code,
    then `exit N` once the code is done and its output flushed. That report ends the run at
    once; without it (a crash, `os._exit`, a compiled program) the run ends when bwrap exits.
    """

    def __init__(self, host: BoxHost, limits: BoxLimits, cgroup: RunCgroup) -> None:
        super().__init__(host, limits, cgroup)
        self.readers: List[CappedReader] = []
        self.transports: List[asyncio.BaseTransport] = []
        self.status_fd: Optional[int] = None
        self.artifact: Optional[CappedReader] = None
        self.output_exceeded = False
        self.input_writer: Optional[asyncio.WriteTransport] = None
        self.report: Optional[asyncio.StreamReader] = None
        self.cpu_baseline_ns = 0

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
        try:
            cgroup = await cls.make_cgroup(host, limits)
        except ContainmentUnavailable as e:
            raise SandboxUnavailable(f"Sandbox {e}") from e
        box = cls(host, limits, cgroup)
        try:
            await box._spawn(layout, artifact_cap, input_pipe)
        except BaseException:
            await box.close()
            raise
        return box

    async def _spawn(self, layout: BoxLayout, artifact_cap: int, input_pipe: bool) -> None:
        fds = SpawnFds()
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
            try:
                await self.spawn(layout, fds, stdin=subprocess.PIPE, stdout=out_w, stderr=err_w)
            except ContainmentUnavailable as e:
                raise SandboxUnavailable(f"Sandbox {e}") from e
        except BaseException:
            fds.close_host_ends()
            raise
        finally:
            fds.close_box_ends()
        self.status_fd = status_r
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

    def release(self) -> None:
        """Close the pipes and readers; the process and cgroup are the base class's."""
        for reader in self._pipes():
            reader.close()
        for transport in self.transports:
            transport.close()
        if self.input_writer is not None:
            self.input_writer.close()
        close_all([fd for fd in (self.status_fd,) if fd is not None])
