"""The box without bubblewrap: the same uid drop, cgroup, namespaces, limits and seccomp, with Landlock
keeping the host's files out of reach (see confine.py, which does the work in the child)."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import sys
import tempfile
from typing import Dict, List

from .bwrap import BOX_PATH, USR_SIBLINGS, BoxLayout
from .cgroups import RunCgroup
from .errors import ContainmentUnavailable
from .host import SECCOMP, BoxHost, Launch
from .landlock import abi_version
from .limits import Rlimits

CONFINE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "confine.py")
# What every program needs to read besides its own interpreter: the system, the dynamic linker's
# cache, the time zone, and the box's own /proc (mounted fresh in its PID namespace).
SYSTEM_READABLE = ("/usr", *USR_SIBLINGS, "/etc/ld.so.cache", "/etc/localtime", "/proc")


def landlock_available() -> bool:
    """Whether this kernel can confine a process's filesystem access with Landlock."""
    try:
        return abi_version(ctypes.CDLL(None, use_errno=True)) >= 1
    except OSError:
        return False


class LandlockHost(BoxHost):
    """Runs each box through confine.py as root; the code ends up as the box uid in fresh namespaces."""

    kind = "landlock"

    def launch(self, layout: BoxLayout, cgroup: RunCgroup, rlimits: Rlimits) -> Launch:
        if layout.keeps_root:
            raise ContainmentUnavailable("the Landlock box cannot keep root for a zygote; use bubblewrap")
        if layout.files:
            raise ContainmentUnavailable("the Landlock box cannot place files; give the code on a pipe instead")
        workdir = tempfile.mkdtemp(prefix="box-", dir=self.private_dir)  # a tmpfs is mounted over it in the box
        env: Dict[str, str] = {"PATH": BOX_PATH, "HOME": workdir, "TMPDIR": workdir, "LANG": "C.UTF-8",
                               "USER": "sandbox"}
        env.update(layout.env)
        readable: List[str] = [*SYSTEM_READABLE, *(host for host, _ in layout.ro_binds)]
        config = {
            "cgroup_procs": cgroup.procs_files(),
            "uid": self.uid,
            "workdir": workdir,
            "workdir_bytes": layout.workdir_bytes,
            "rlimits": {
                "cpu_seconds": rlimits.cpu_seconds,
                "file_size_bytes": rlimits.file_size_bytes,
                "open_files": rlimits.open_files,
                "address_space_bytes": rlimits.address_space_bytes,
                "processes": rlimits.processes or 64,
            },
            "readable": readable,
            "seccomp": SECCOMP.hex() if SECCOMP is not None else None,
            "argv": layout.argv,
            "env": env,
        }
        argv = [sys.executable, "-I", "-S", CONFINE, json.dumps(config)]
        return Launch(argv, env={"PATH": BOX_PATH, "LANG": "C.UTF-8"},
                      cleanup=lambda: shutil.rmtree(workdir, ignore_errors=True))
