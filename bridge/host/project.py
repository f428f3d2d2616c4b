"""The headless host's project: a folder of its own, and the editor's Python start-up in it.

Every host gets its own project folder, so two hosts on one machine never share an instance file
or a Saved folder: `--project DIR` (a real project on disk), else `UE_MOCK_PROJECT_DIR`, else
`<data dir>/projects/MockProject`, or `MockProject-2`, `-3`... while another live host holds the
first (each holds a lock on its folder until it exits; the operating system drops the lock of a
process that died).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType
from typing import IO, Any, Dict, List, Optional

from ..editor.pythonpath import (
    add_to_sys_path,
    content_python_folders,
    is_bridge_plugin_script,
    run_startup_scripts,
    startup_scripts,
)
from ..editor.sessions import fresh_globals

MOCK_PROJECT_ENV = "UE_MOCK_PROJECT_DIR"
DEFAULT_NAME = "MockProject"
LOCK_FILE = Path("Saved") / "PythonBridge" / "host.lock"

_held: List[IO[Any]] = []  # the locks this process holds, for as long as it runs


class ProjectTaken(Exception):
    """The lock on a project folder is held by another live host."""


def lock_folder(folder: Path) -> IO[Any]:
    """Hold an exclusive lock on `folder` for this process's life; ProjectTaken when another holds it."""
    path = folder / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - held open for the process's life
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise ProjectTaken(str(folder)) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    _held.append(handle)
    return handle


def claim_default_project(data_dir: Path, name: str = DEFAULT_NAME) -> Path:
    """The first `<data_dir>/projects/<name>[-N]` no live host holds, now held by this one."""
    base = Path(data_dir) / "projects"
    for index in range(1, 1000):
        folder = base / (name if index == 1 else f"{name}-{index}")
        try:
            lock_folder(folder)
        except ProjectTaken:
            continue
        return folder.resolve()
    raise RuntimeError(f"every project folder under {base} is held by a running host")


def choose_project(project: Optional[Path], data_dir: Optional[Path]) -> Optional[Path]:
    """The folder this host's mock project lives in; None leaves mock_unreal's own default."""
    if project is not None:
        folder = Path(project).expanduser()
        if folder.suffix == ".uproject":
            folder = folder.parent
        if folder.exists() and not folder.is_dir():
            raise ValueError(f"--project must be a project folder or its .uproject file, got {project}")
        folder.mkdir(parents=True, exist_ok=True)
        return folder.resolve()
    if os.environ.get(MOCK_PROJECT_ENV):
        return Path(os.environ[MOCK_PROJECT_ENV]).resolve()
    if data_dir is not None:
        return claim_default_project(data_dir)
    return None


def use_project(folder: Optional[Path]) -> None:
    """Point mock_unreal at `folder` before it is imported (its Paths read this variable)."""
    if folder is not None:
        os.environ[MOCK_PROJECT_ENV] = str(folder)


def put_python_folders_on_path(unreal: ModuleType) -> List[str]:
    """As the editor mounts content roots: the project's and every plugin's `Content/Python` on sys.path."""
    project_dir = Path(unreal.Paths.project_dir())
    return add_to_sys_path(content_python_folders(project_dir))


def run_init_scripts(console_globals: Optional[Dict[str, Any]] = None) -> List[Path]:
    """Game thread, once sys.path is complete: every `init_unreal.py` on it, in sys.path order, in one
    shared globals (the console's, in the editor). The PythonBridge plugin's own is skipped: this host
    already is a bridge. The scripts run; their failures are logged, as in the editor."""
    scripts = startup_scripts(list(sys.path), skip=is_bridge_plugin_script)
    run_startup_scripts(scripts, fresh_globals() if console_globals is None else console_globals)
    return scripts
