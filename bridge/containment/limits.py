"""How a box's first process gets its limits: join the run's cgroup and set rlimits, then exec bwrap.

A tiny /bin/sh prologue does it in the child (not a Python preexec_fn): a preexec_fn forces a
full fork of the server and blocks its event loop for milliseconds on every spawn, while this
keeps the cheap vfork path. The script is constant; cgroup paths and numbers are passed as
arguments, never interpolated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

# Exit 125 before bwrap ever runs if any step fails: no run without its cgroup and limits.
PROLOGUE = (
    'fail() { echo "box: $*" >&2; exit 125; }; '
    'while [ "$1" != -- ]; do echo 0 > "$1" || fail "cannot join cgroup $1"; shift; done; shift; '
    # dash's ulimit takes one limit per call; without -H/-S it sets soft and hard alike. CPU time gets a
    # soft limit a second below the hard one: the kernel sends SIGXCPU at the soft limit (so the run is
    # seen to have hit it) and SIGKILL only at the hard one; equal limits would give a bare SIGKILL.
    'for l in "-t $(($1 + 1))" "-S -t $1" "-f $2" "-n $3" "-c 0" "-l 0"; do '
    'ulimit $l || fail "cannot set ulimit $l"; done; '
    'if [ "$4" != 0 ]; then ulimit -v "$4" || fail "cannot set ulimit -v $4"; fi; '
    'shift 4; umask 022; exec "$@"'
)
PROLOGUE_FAILED = 125


@dataclass(frozen=True)
class Rlimits:
    """Kernel rlimits of a box, inherited by all its processes (hard limits: the code cannot raise them)."""

    cpu_seconds: int
    file_size_bytes: int
    open_files: int
    address_space_bytes: Optional[int] = None
    processes: Optional[int] = None  # RLIMIT_NPROC where no pids cgroup bounds the box alone (the fallback)


def limited_argv(procs_files: List[str], rlimits: Rlimits, argv: List[str]) -> List[str]:
    """`argv` behind the prologue: join every cgroup.procs, set CPU/FSIZE/NOFILE/CORE/MEMLOCK (and AS)."""
    return [
        "/bin/sh",
        "-c",
        PROLOGUE,
        "box-limits",
        *procs_files,
        "--",
        str(rlimits.cpu_seconds),
        str(max(1, rlimits.file_size_bytes // 512)),  # ulimit -f counts 512-byte blocks
        str(rlimits.open_files),
        str((rlimits.address_space_bytes or 0) // 1024),  # ulimit -v counts KiB
        # No `setpriv --pdeathsig` in front: bwrap's --die-with-parent also kills bwrap itself when the
        # service dies (test_a_killed_service_leaves_no_box_behind holds that), and an exec per box is not free.
        *argv,
    ]
