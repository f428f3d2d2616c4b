"""What a backend boxes its runs with on this host: found once at start, then one command line per box."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional

from .bwrap import BoxLayout, build_argv, find_bwrap, find_setpriv, memfd_with, write_etc
from .cgroups import CgroupManager, RunCgroup, dir_prefix, remove_stale_dirs
from .limits import Rlimits, limited_argv
from .seccomp import filter_bytes

SECCOMP = filter_bytes()  # None on a CPU without a table: boxes keep every other layer; health says so


@dataclass
class Launch:
    """How to start one box: the command, and what the spawn must pass, run and clean up around it."""

    argv: List[str]
    env: Optional[Dict[str, str]] = None  # None: the box's own --setenv values apply
    preexec: Optional[Callable[[], None]] = None
    pass_fds: List[int] = field(default_factory=list)  # closed by the spawn once the box has them
    cleanup: Optional[Callable[[], None]] = None  # after the box is gone (off the event loop)


class BoxHost:
    """bubblewrap run as root: fresh namespaces, the host's files hidden, setpriv to the box uid.

    Subclasses box differently (see fallback.LandlockHost); callers only use `launch`.
    """

    kind = "bubblewrap"

    def __init__(self, backend: str, uid: int, cgroups: CgroupManager, private_dir: str,
                 bwrap: str = "", setpriv: str = "", etc_dir: str = "") -> None:
        self.backend = backend
        self.uid = uid
        self.cgroups = cgroups
        self.private_dir = private_dir
        self.bwrap = bwrap
        self.setpriv = setpriv
        self.etc_dir = etc_dir

    def launch(self, layout: BoxLayout, cgroup: RunCgroup, rlimits: Rlimits) -> Launch:
        """The prologue (cgroup, rlimits) in front of bwrap in front of setpriv in front of the code."""
        # A box that keeps root loads the filter in each child instead: it would forbid the child's mounts.
        fds = [memfd_with(SECCOMP, "seccomp")] if SECCOMP is not None and not layout.keeps_root else []
        argv = build_argv(self.bwrap, self.setpriv, self.uid, self.etc_dir, layout,
                          seccomp_fd=fds[0] if fds else None)
        return Launch(limited_argv(cgroup.procs_files(), rlimits, argv), pass_fds=fds)

    async def close(self) -> None:
        """Wait for pending cgroup removals, then remove the backend's cgroups and private dir."""
        await self.cgroups.close()
        shutil.rmtree(self.private_dir, ignore_errors=True)


@dataclass
class Preparation:
    """The outcome of looking at the host: a BoxHost, or every reason there is none."""

    host: Optional[BoxHost]
    problems: List[str]
    cgroups: Optional[CgroupManager]

    @property
    def reason(self) -> Optional[str]:
        return "; ".join(self.problems) or None


def prepare(backend: str, uid: int, *, bwrap_path: str = "bwrap", cgroup_mode: str = "auto",
            use_bubblewrap: bool = True, allow_landlock: bool = False,
            etc_mounts: Iterable[str] = ()) -> Preparation:
    """Find what can box `backend`'s runs (blocking: call it off the event loop).

    Fails closed: without root (to create cgroups and drop to `uid`), a usable cgroup, and a box
    (bubblewrap, or Landlock where `allow_landlock`), there is no host and `problems` says why.
    """
    if not sys.platform.startswith("linux"):
        return Preparation(None, ["contained runs need Linux (bubblewrap or Landlock, cgroups, seccomp)"], None)
    problems: List[str] = []
    if os.geteuid() != 0:
        problems.append(f"the {backend} must run as root to create cgroups and drop the code to uid {uid}")
    cgroups = CgroupManager(cgroup_mode, backend)
    if not cgroups.available:
        problems.append(f"no usable cgroup: {cgroups.reason}")
    bwrap = find_bwrap(bwrap_path) if use_bubblewrap else None
    setpriv = find_setpriv()
    kind = "bubblewrap" if bwrap and setpriv else None
    if kind is None and allow_landlock:
        from .fallback import landlock_available

        kind = "landlock" if landlock_available() else None
    if kind is None:
        if use_bubblewrap and bwrap is None:
            problems.append("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
        if use_bubblewrap and setpriv is None:
            problems.append("setpriv is missing: apt-get install util-linux")
        if allow_landlock:
            problems.append("this kernel has no Landlock for the fallback without bubblewrap (Linux 5.13+)")
    if problems:
        cgroups.remove_parents()
        return Preparation(None, problems, cgroups)
    remove_stale_dirs(tempfile.gettempdir(), backend)
    private = tempfile.mkdtemp(prefix=f"{dir_prefix(backend)}{os.getpid()}-")
    os.chmod(private, 0o755)  # the box uid must reach what is bound from here
    if kind == "landlock":
        from .fallback import LandlockHost

        return Preparation(LandlockHost(backend, uid, cgroups, private), [], cgroups)
    etc_dir = os.path.join(private, "etc")
    write_etc(etc_dir, uid, etc_mounts)
    assert bwrap is not None and setpriv is not None
    return Preparation(BoxHost(backend, uid, cgroups, private, bwrap, setpriv, etc_dir), [], cgroups)
