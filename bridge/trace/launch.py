"""What a tracer worker is: its command line, its box layout and its limits (the box is containment's)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..containment import SECCOMP, BoxLayout, BoxLimits, Rlimits
from .settings import TraceSettings

MIB = 1 << 20
CHILD_DIR = Path(__file__).resolve().parent / "child"
CHILD_PACKAGE = "_bridge_trace_child"
LOG_SLACK_BYTES = 1 << 20  # room past max_trace_bytes for the final entry
LOG_FD_ENV = "TRACE_LOG_FD"
ZYGOTE_ENV = "TRACE_ZYGOTE"
ZYGOTE_FD_ENV = "TRACE_ZYGOTE_FD"
ZYGOTE_PIDS = 8  # bwrap, its init, the zygote and a child not yet moved into its run's cgroup
ZYGOTE_CPU_S = 24 * 3600  # the zygote's own limit; each child lowers its own to cpu_time_s
ZYGOTE_OPEN_FILES = 256

# Loads bridge/trace/child as a private top-level package, so the worker never imports `bridge`
# (or aiohttp, pydantic...) and a user's `import child` finds nothing of ours.
BOOTSTRAP = (
    "import importlib.util as u,sys;d=sys.argv[1];"
    f"s=u.spec_from_file_location({CHILD_PACKAGE!r},d+'/__init__.py',submodule_search_locations=[d]);"
    "m=u.module_from_spec(s);sys.modules[s.name]=m;s.loader.exec_module(m);"
)


def _bootstrap(module: str) -> str:
    """BOOTSTRAP, then `serve()` of the child module that runs the box (main: one job; zygote: a fork per job)."""
    return BOOTSTRAP + f"import {CHILD_PACKAGE}.{module} as w;w.serve()"


def worker_command(python: Optional[str] = None, module: str = "main") -> List[str]:
    """argv for one worker; -s keeps the user's site-packages out of it.

    Not -I: that would also ignore PYTHONHASHSEED, and traces must repeat exactly (set and dict
    orders of strings). The box's environment is ours alone (see worker_env), so -E guards nothing.
    """
    return [python or sys.executable, "-s", "-c", _bootstrap(module), str(CHILD_DIR)]


def worker_layout(settings: TraceSettings, log_fd: int) -> BoxLayout:
    """The box of one worker: the system, the interpreter and the tracer read-only; an empty tmpfs to work in."""
    interpreter = settings.python or sys.executable
    return BoxLayout(
        argv=worker_command(interpreter),
        env=worker_env(log_fd),
        ro_binds=_shown(interpreter),
        workdir_bytes=settings.workdir_mb * MIB,
        subdirs=(),
    )


def zygote_layout(settings: TraceSettings, socket_fd: int) -> BoxLayout:
    """The box of one zygote: the worker's box, but its first process stays root to box each child."""
    interpreter = settings.python or sys.executable
    env = worker_env(-1)
    del env[LOG_FD_ENV]
    env[ZYGOTE_FD_ENV] = str(socket_fd)
    env[ZYGOTE_ENV] = json.dumps(zygote_config(settings))
    return BoxLayout(
        argv=worker_command(interpreter, "zygote"),
        env=env,
        ro_binds=_shown(interpreter),
        workdir_bytes=settings.workdir_mb * MIB,
        subdirs=(),
        keeps_root=True,
    )


def zygote_config(settings: TraceSettings) -> Dict[str, object]:
    """What each forked child applies to itself: the box uid, its work dirs' size, rlimits, seccomp."""
    return {
        "uid": settings.box_uid,
        "workdir_bytes": settings.workdir_mb * MIB,
        "seccomp": SECCOMP.hex() if SECCOMP is not None else None,
        "rlimits": {
            "cpu_seconds": settings.cpu_time_s,
            "file_size_bytes": settings.max_file_bytes,
            "open_files": settings.max_open_files,
            "address_space_bytes": settings.memory_mb * MIB,
        },
    }


def zygote_limits(settings: TraceSettings) -> BoxLimits:
    """cgroup and rlimits of a zygote's box; each run gets its own cgroup and rlimits (worker_limits)."""
    return BoxLimits(
        memory_bytes=settings.memory_mb * MIB,
        pids=ZYGOTE_PIDS,
        cpus=settings.cpus,
        rlimits=Rlimits(cpu_seconds=ZYGOTE_CPU_S, file_size_bytes=settings.max_file_bytes,
                        open_files=ZYGOTE_OPEN_FILES),
    )


def _shown(interpreter: str) -> List[Tuple[str, str]]:
    shown: List[str] = []
    # A venv's python is a link into its base installation: both must be visible.
    for prefix in (_prefix_of(interpreter), _prefix_of(os.path.realpath(interpreter)), str(CHILD_DIR)):
        if prefix not in shown and not prefix.startswith("/usr/"):
            shown.append(prefix)
    return [(path, path) for path in shown]


def worker_limits(settings: TraceSettings) -> BoxLimits:
    """cgroup and rlimits of one worker."""
    memory = settings.memory_mb * MIB
    return BoxLimits(
        memory_bytes=memory,
        pids=settings.max_processes,
        cpus=settings.cpus,
        rlimits=Rlimits(
            cpu_seconds=settings.cpu_time_s,
            file_size_bytes=settings.max_file_bytes,
            open_files=settings.max_open_files,
            # In-process allocations fail as MemoryError first; the cgroup is the backstop for the rest.
            address_space_bytes=memory,
            processes=settings.max_processes * (settings.pool_size + settings.max_concurrent_runs),
        ),
    )


def unreachable(paths: List[str], uid: int) -> Optional[str]:
    """The first path (or a directory on the way to it) that `uid`, with no groups, cannot read and enter."""
    for path in paths:
        real = os.path.realpath(path)
        parts = real.split(os.sep)
        for depth in range(1, len(parts) + 1):
            here = os.sep.join(parts[:depth]) or os.sep
            try:
                info = os.stat(here)
            except OSError:
                return here
            need = 0o5 if depth == len(parts) else 0o1  # the path itself: read and enter/run; on the way: enter
            mode = (info.st_mode >> 6) & 0o7 if info.st_uid == uid else info.st_mode & 0o7
            if mode & need != need:
                return here
    return None


def log_size(settings: TraceSettings) -> int:
    """Bytes of a worker's step log: the trace budget, both output streams (4 bytes a character) and slack."""
    return settings.max_trace_bytes + 8 * settings.max_stdout_chars + LOG_SLACK_BYTES


def _prefix_of(interpreter: str) -> str:
    """`/x/venv/bin/python` -> `/x/venv`."""
    return os.path.dirname(os.path.dirname(os.path.abspath(interpreter)))


def worker_env(log_fd: int) -> Dict[str, str]:
    """A minimal environment: nothing from the server's environment (tokens, paths) leaks in."""
    return {
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        LOG_FD_ENV: str(log_fd),
    }
