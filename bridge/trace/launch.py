"""How a tracer worker process is started: command line, environment and resource limits."""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional

CHILD_DIR = Path(__file__).resolve().parent / "child"
CHILD_PACKAGE = "_bridge_trace_child"

# Loads bridge/trace/child as a private top-level package, so the worker never imports `bridge`
# (or aiohttp, pydantic...) and a user's `import child` finds nothing of ours.
BOOTSTRAP = (
    "import importlib.util as u,sys;d=sys.argv[1];"
    "s=u.spec_from_file_location(%r,d+'/__init__.py',submodule_search_locations=[d]);"
    "m=u.module_from_spec(s);sys.modules[s.name]=m;s.loader.exec_module(m);"
    "import %s.main as w;w.serve()" % (CHILD_PACKAGE, CHILD_PACKAGE)
)


def worker_command(python: Optional[str] = None) -> List[str]:
    """argv for one worker; -I keeps the user's environment and site-packages out of it."""
    return [python or sys.executable, "-I", "-c", BOOTSTRAP, str(CHILD_DIR)]


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


def limit_setter(cpu_seconds: int, memory_bytes: int, file_bytes: int, open_files: int) -> Callable[[], None]:
    """A preexec_fn that applies rlimits in the forked child before the interpreter starts."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
        resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.umask(0o077)

    return apply
