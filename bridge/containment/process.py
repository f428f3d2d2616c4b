"""One contained process tree: a fresh cgroup, the box around it, and its kill and teardown as one."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Tuple

from .bwrap import BoxLayout
from .cgroups import RunCgroup
from .errors import ContainmentUnavailable
from .host import BoxHost
from .limits import Rlimits


@dataclass(frozen=True)
class BoxLimits:
    """Everything that bounds one box."""

    memory_bytes: int
    pids: int
    cpus: float
    rlimits: Rlimits
    output_cap: int = 64 * 1024  # per stream the host reads from the box


class SpawnFds:
    """The pipes of one spawn: box ends go to the box and are closed here once it has them; host ends
    stay open for reading and writing, and are closed again only if the spawn fails."""

    def __init__(self) -> None:
        self.passed: List[int] = []  # extra fds the box inherits
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
        """An fd that belongs to the box alone (closed here after the spawn)."""
        self.box_ends.append(fd)
        if passed:
            self.passed.append(fd)
        return fd

    def shared(self, fd: int) -> int:
        """An fd the box inherits while the host keeps its own copy open (a shared memory file)."""
        self.passed.append(fd)
        return fd

    def close_box_ends(self) -> None:
        close_all(self.box_ends)

    def close_host_ends(self) -> None:
        close_all(self.host_ends)


def close_all(fds: List[int]) -> None:
    """Close each fd, ignoring the ones already closed."""
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


class ContainedProcess:
    """A process started in its own cgroup behind the host's box; `kill` ends everything it started.

    The cgroup is made first and the process joins it before the box starts, so nothing the code
    forks can escape it; `close` kills what is left, waits, and removes the cgroup.
    """

    def __init__(self, host: BoxHost, limits: BoxLimits, cgroup: RunCgroup) -> None:
        self.host = host
        self.limits = limits
        self.cgroup = cgroup
        self.proc: Optional[asyncio.subprocess.Process] = None
        self.pidfd: Optional[int] = None
        self._closing: Optional[asyncio.Future[None]] = None
        self._cleanup: Optional[Callable[[], None]] = None

    @staticmethod
    async def make_cgroup(host: BoxHost, limits: BoxLimits) -> RunCgroup:
        """A new cgroup with the limits set, made off the event loop; nothing is left if the caller is cancelled.

        mkdir in a cgroup hierarchy can wait milliseconds on the kernel's cgroup locks while other
        boxes are torn down: not on the event loop.
        """
        made = asyncio.get_running_loop().run_in_executor(None, _limited_cgroup, host, limits)
        try:
            return await asyncio.shield(made)
        except asyncio.CancelledError:
            made.add_done_callback(_remove_made)  # the thread finishes anyway: take back what it made
            raise

    async def spawn(self, layout: BoxLayout, fds: SpawnFds, **popen: Any) -> asyncio.subprocess.Process:
        """Start the box; raises ContainmentUnavailable if the process cannot be created."""
        launch = self.host.launch(layout, self.cgroup, self.limits.rlimits)
        self._cleanup = launch.cleanup
        extra = [*fds.passed, *(fd for fd, _ in layout.files), *launch.pass_fds]
        try:
            self.proc = await asyncio.create_subprocess_exec(
                *launch.argv,
                pass_fds=extra,
                start_new_session=True,
                env=launch.env,
                preexec_fn=launch.preexec,
                **popen,
            )
        except (OSError, subprocess.SubprocessError) as e:
            raise ContainmentUnavailable(f"could not start the box (cgroup or {self.host.kind}): {e}") from e
        finally:
            close_all(launch.pass_fds)
        with contextlib.suppress(OSError):  # it may already be gone; the cgroup kill still covers the box
            self.pidfd = os.pidfd_open(self.proc.pid)
        return self.proc

    def kill(self) -> None:
        """Kill the whole box: its first process (in a bwrap box, pid 1 dies with it) and the cgroup.

        The process is signalled through a pidfd, never `Process.kill()`: that polls the child first,
        and reaping it there would steal its exit status from asyncio's child watcher.
        """
        if self.pidfd is not None and (self.proc is None or self.proc.returncode is None):
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        self.cgroup.kill()

    async def close(self) -> None:
        """Kill anything left, release fds and remove the cgroup; every caller waits for the one teardown."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close())
        await asyncio.shield(self._closing)

    def release(self) -> None:
        """Close what a subclass holds besides the process (pipes, readers); called once, after the kill."""

    async def _close(self) -> None:
        self.kill()
        if self.proc is not None and self.proc.returncode is None:
            await self.proc.wait()
        self.release()
        if self.pidfd is not None:
            close_all([self.pidfd])
        # rmdir of a cgroup can wait milliseconds on the kernel's cgroup locks: not on the event loop.
        if not await asyncio.to_thread(self.cgroup.remove):
            # Killed processes take a moment to leave the cgroup: finish off the reply's path.
            self.host.cgroups.track(asyncio.ensure_future(_remove_later(self.cgroup)))
        if self._cleanup is not None:
            await asyncio.to_thread(self._cleanup)


def _limited_cgroup(host: BoxHost, limits: BoxLimits) -> RunCgroup:
    """A new run cgroup with the box's limits set, or ContainmentUnavailable (and nothing left behind)."""
    cgroup = host.cgroups.create()
    try:
        cgroup.set_limits(limits.memory_bytes, limits.pids, limits.cpus)
    except OSError as e:
        cgroup.remove()
        raise ContainmentUnavailable(f"cannot set the run's cgroup limits: {e}") from e
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
