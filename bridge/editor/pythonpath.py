"""The editor's Python path: the project's and plugins' `Content/Python`, the configured folders, startup scripts.

Epic's PythonScriptPlugin puts `<root>/Python` of every mounted content root on `sys.path` (the project's
`Content/Python`, then each plugin's), with a plugin's `Lib/site-packages` folders, then the "Additional
Paths" of Project Settings > Plugins > Python. On the first tick it runs every `init_unreal.py` found on
`sys.path`, in `sys.path` order, in the shared console globals. The headless host does the same here.
"""
from __future__ import annotations

import logging
import os
import platform
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field

log = logging.getLogger("bridge")

STARTUP_SCRIPT = "init_unreal.py"
# The bridge's own plugin starts a bridge from its init_unreal.py; the headless host already is one.
BRIDGE_PLUGIN = "PythonBridge"


class PythonSettings(BaseModel):
    """The editor's Python path as the bridge extends it (`UE_BRIDGE_PYTHON__PATHS='["Scripts/Python"]'`)."""

    model_config = ConfigDict(extra="forbid")

    paths: List[Path] = Field(
        default_factory=list,
        description="more folders put on sys.path at start, like the editor's Additional Paths (Project Settings "
                    "> Plugins > Python); relative ones are relative to the project folder. Files in them may be "
                    "run by path",
    )


def _platform_folder() -> str:
    return {"Windows": "Win64", "Darwin": "Mac"}.get(platform.system(), "Linux")


def plugin_folders(project_dir: Path) -> List[Path]:
    """Every plugin of the project (a folder holding a `.uplugin`), sorted by path. As the editor's plugin
    scan does, the search stops at a plugin: nothing inside one is another plugin."""
    found: List[Path] = []
    for folder, subfolders, files in os.walk(Path(project_dir) / "Plugins"):
        if any(name.endswith(".uplugin") for name in files):
            found.append(Path(folder))
            subfolders[:] = []
        else:
            subfolders.sort()
    return sorted(found)


def content_python_folders(project_dir: Path) -> List[Path]:
    """The Python folders the editor mounts for a project: its own `Content/Python`, then each plugin's,
    each followed by its `Lib/site-packages` folders when present. Only folders that exist."""
    roots = [Path(project_dir), *plugin_folders(project_dir)]
    found: List[Path] = []
    for root in roots:
        python = root / "Content" / "Python"
        candidates = [python, python / "Lib" / "site-packages", python / _platform_folder() / "Lib" / "site-packages"]
        found.extend(folder for folder in candidates if folder.is_dir())
    return found


def configured_folders(paths: Iterable[Path], project_dir: Path) -> List[Path]:
    """`python.paths`, relative ones taken from the project folder, made absolute."""
    return [(Path(project_dir) / path if not Path(path).is_absolute() else Path(path)).resolve()
            for path in paths]


def add_to_sys_path(folders: Iterable[Path], sys_path: Optional[List[str]] = None) -> List[str]:
    """Append each folder not already on `sys.path`, keeping order; the entries added."""
    target = sys.path if sys_path is None else sys_path
    present = set(target)
    added: List[str] = []
    for folder in folders:
        entry = str(folder)
        if entry not in present:
            target.append(entry)
            present.add(entry)
            added.append(entry)
    return added


def startup_scripts(sys_path: Sequence[str], skip: Callable[[Path], bool] = lambda path: False) -> List[Path]:
    """The `init_unreal.py` of every `sys.path` entry that has one, in `sys.path` order, each once."""
    scripts: List[Path] = []
    seen = set()
    for entry in sys_path:
        if not entry:
            continue
        script = Path(entry) / STARTUP_SCRIPT
        key = str(script.resolve()) if script.is_file() else None
        if key is None or key in seen or skip(script):
            continue
        seen.add(key)
        scripts.append(script)
    return scripts


def is_bridge_plugin_script(script: Path) -> bool:
    """The PythonBridge plugin's own init_unreal.py (it would start a second bridge in the headless host)."""
    plugin = script.parent.parent.parent  # <Plugin>/Content/Python/init_unreal.py
    return (plugin / f"{BRIDGE_PLUGIN}.uplugin").is_file()


def run_startup_scripts(scripts: Sequence[Path], console_globals: Dict[str, Any]) -> List[str]:
    """Game thread: run each script as the editor does, `__file__` set, in the shared console globals.

    A failing script is logged with its traceback and the next one runs, as in the editor; the
    messages of the failures are returned.
    """
    import traceback

    failures: List[str] = []
    for script in scripts:
        console_globals["__file__"] = str(script)
        try:
            code = compile(script.read_bytes(), str(script), "exec", dont_inherit=True)
            exec(code, console_globals)
        except Exception:
            message = f"startup script {script} failed:\n{traceback.format_exc()}"
            log.error("%s", message)
            failures.append(message)
        finally:
            console_globals.pop("__file__", None)
    return failures
