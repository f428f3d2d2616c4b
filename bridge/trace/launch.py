"""How a tracer worker process is started: command line, environment and resource limits."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import shutil
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional

from ..sandbox.bwrap import system_binds
from .landlock import abi_version, restrict_writes

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
try:  # loaded before any fork: the preexec_fn must not import or load libraries
    _LIBC: Optional[ctypes.CDLL] = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
except OSError:
    _LIBC = None
LANDLOCK_ABI = abi_version(_LIBC) if sys.platform.startswith("linux") else 0

CHILD_DIR = Path(__file__).resolve().parent / "child"
CHILD_PACKAGE = "_bridge_trace_child"

# Loads bridge/trace/child as a private top-level package, so the worker never imports `bridge`
# (or aiohttp, pydantic...) and a user's `import child` finds nothing of ours.
BOOTSTRAP = (
    "import importlib.util as u,sys;d=sys.argv[1];"
    f"s=u.spec_from_file_location({CHILD_PACKAGE!r},d+'/__init__.py',submodule_search_locations=[d]);"
    "m=u.module_from_spec(s);sys.modules[s.name]=m;s.loader.exec_module(m);"
    f"import {CHILD_PACKAGE}.main as w;w.serve()"
)


def worker_command(python: Optional[str] = None, box_dir: Optional[str] = None) -> List[str]:
    """argv for one worker; -I keeps the user's environment and site-packages out of it.

    With `box_dir`, the worker runs in a bubblewrap box (see `box_argv`) whose only writable place is it.
    """
    interpreter = python or sys.executable
    command = [interpreter, "-I", "-c", BOOTSTRAP, str(CHILD_DIR)]
    return command if box_dir is None else [*box_argv(interpreter, box_dir), *command]


def bubblewrap() -> Optional[str]:
    """The bwrap binary, where the platform has one."""
    return shutil.which("bwrap") if sys.platform.startswith("linux") else None


def box_argv(interpreter: str, box_dir: str) -> List[str]:
    """The sandbox backend's kind of box for one worker: the host's files hidden but for a read-only
    /usr, the interpreter and the tracer; no network; own PID, IPC and UTS namespaces; no capabilities."""
    bwrap = bubblewrap()
    if bwrap is None:
        raise OSError("bubblewrap (bwrap) is not installed")
    argv = [bwrap, "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net",
            "--unshare-cgroup-try", "--cap-drop", "ALL", *system_binds(),
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    shown = set()
    # A venv's python is a link into its base installation: both must be visible.
    for prefix in (_prefix_of(interpreter), _prefix_of(os.path.realpath(interpreter)), str(CHILD_DIR)):
        if prefix not in shown and not prefix.startswith("/usr/"):
            shown.add(prefix)
            argv += ["--ro-bind", prefix, prefix]
    argv += ["--bind", box_dir, box_dir, "--chdir", box_dir, "--"]
    return argv


def _prefix_of(interpreter: str) -> str:
    """`/x/venv/bin/python` -> `/x/venv`."""
    return os.path.dirname(os.path.dirname(os.path.abspath(interpreter)))


def worker_env(home: str) -> Dict[str, str]:
    """A minimal environment: nothing from the server's environment (tokens, paths) leaks in."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": home,
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
    }


def leave_network() -> None:
    """Move the calling process into an empty network namespace (only loopback, no route out), if allowed.

    This also keeps a traced program away from the bridge's own port on 127.0.0.1. Root can do it directly;
    others need an unprivileged user namespace; where neither is allowed the worker keeps the network.
    """
    if _LIBC is None or not sys.platform.startswith("linux"):
        return
    if _LIBC.unshare(CLONE_NEWNET) != 0:
        _LIBC.unshare(CLONE_NEWUSER | CLONE_NEWNET)


def limit_setter(cpu_seconds: int, memory_bytes: int, file_bytes: int, open_files: int,
                 isolate_network: bool = True, writable_dir: Optional[str] = None) -> Callable[[], None]:
    """A preexec_fn applying, in the forked child before exec: network namespace, write limits, rlimits."""

    def apply() -> None:
        if isolate_network:
            leave_network()
        if writable_dir is not None:
            restrict_writes(_LIBC, LANDLOCK_ABI, writable_dir)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
        resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.umask(0o077)

    return apply
