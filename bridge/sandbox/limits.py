"""What the forked child does before exec'ing bwrap: join the run's cgroup and set rlimits."""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from typing import Callable, List, Optional


@dataclass(frozen=True)
class Rlimits:
    """Kernel rlimits of a box, inherited by every process in it."""

    cpu_seconds: int
    file_size_bytes: int
    open_files: int
    address_space_bytes: Optional[int] = None

    def pairs(self) -> List[tuple[int, int]]:
        """(resource, value) pairs; soft == hard so the code cannot raise them."""
        out = [
            (resource.RLIMIT_CPU, self.cpu_seconds),
            (resource.RLIMIT_FSIZE, self.file_size_bytes),
            (resource.RLIMIT_NOFILE, self.open_files),
            (resource.RLIMIT_CORE, 0),
            (resource.RLIMIT_MEMLOCK, 0),
        ]
        if self.address_space_bytes:
            out.append((resource.RLIMIT_AS, self.address_space_bytes))
        return out


def make_preexec(procs_fds: List[int], rlimits: Rlimits) -> Callable[[], None]:
    """A preexec_fn: only async-signal-safe-ish syscalls, no allocation-heavy Python, no locks."""
    pairs = rlimits.pairs()
    payload = b"0"

    def preexec() -> None:
        os.umask(0o022)
        # Joining the cgroup before exec means no process of the box ever runs outside it.
        for fd in procs_fds:
            os.write(fd, payload)
        for res, value in pairs:
            resource.setrlimit(res, (value, value))

    return preexec
