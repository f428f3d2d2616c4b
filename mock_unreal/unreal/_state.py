"""The in-memory project behind the mock: assets, directories, the level, selection, recorded UI."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Set, TypeVar

T = TypeVar("T")


class Project:
    """Everything a script can change; `reset()` returns to an empty project."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.project_dir: Optional[Path] = None
        self.created_root: Optional[Path] = None  # the project folder last made on disk (see project_root)
        self.assets: Dict[str, Any] = {}  # package name -> asset object
        self.directories: Set[str] = {"/Game"}
        self.extra_references: Dict[str, Set[str]] = {}  # package -> packages it references (seeded)
        self.soft_references: Dict[str, Set[str]] = {}  # package -> packages it references softly (seeded)
        self.open_editors: List[Any] = []  # assets open in an asset editor, oldest first
        self.selected_assets: List[Any] = []
        self.selected_folders: List[str] = []
        self.world: Optional[Any] = None
        self.selected_actors: List[Any] = []
        self.default_objects: Dict[type, Any] = {}
        self.subsystems: Dict[type, Any] = {}
        self.dialog_answers: List[Any] = []  # answers queued for EditorDialog.show_message
        self.dialog_default_answer: Optional[Any] = None
        self.dialogs: List[Dict[str, Any]] = []  # every message shown
        self.slow_tasks: List[Any] = []
        self.cancel_slow_tasks_after: Optional[int] = None  # cancel once this many frames were entered
        self.screenshots: List[Dict[str, Any]] = []
        self.saved_levels: List[str] = []
        self.opened_levels: List[str] = []
        self.menus: Dict[str, Any] = {}
        self.menu_entries: List[Any] = []
        self.camera: Optional[Any] = None


PROJECT = Project()


def singleton(key: Any, make: Callable[[], T]) -> T:
    """The project's one object under `key` (a subsystem, AssetTools...), made on first use; reset() forgets it."""
    found = PROJECT.subsystems.get(key)
    if found is None:
        found = PROJECT.subsystems[key] = make()
    return found


def mark_dirty(obj: Any) -> None:
    """Mark the package `obj` lives in as having unsaved changes."""
    package = obj
    while getattr(package, "_outer", None) is not None:
        package = package._outer
    if package is not None and hasattr(package, "_dirty"):
        object.__setattr__(package, "_dirty", True)
