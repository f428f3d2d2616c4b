"""`SystemLibrary` and `Paths`: who and where the (mock) editor is; folders are real, under a temp project."""

from __future__ import annotations

import os
import platform
import tempfile
from pathlib import Path
from typing import Any, List

from ._libraries import BlueprintFunctionLibrary

ENGINE_VERSION = "5.6.0-43139311+++UE5+Release-5.6"
PROJECT_NAME = "MockProject"


def project_root() -> Path:
    """The project folder: set by the test fixture, else $UE_MOCK_PROJECT_DIR, else a temp folder."""
    from ._state import PROJECT

    if PROJECT.project_dir is not None:
        path = PROJECT.project_dir
    else:
        root = os.environ.get("UE_MOCK_PROJECT_DIR")
        uid = os.getuid() if hasattr(os, "getuid") else 0
        path = Path(root) if root else Path(tempfile.gettempdir()) / f"mock_unreal_{uid}" / PROJECT_NAME
    # Every Paths call and every log line asks for the root: create it once per root, not per call.
    # The memo lives in PROJECT so that a reset (or a new project folder) creates it again.
    if PROJECT.created_root != path:
        path.mkdir(parents=True, exist_ok=True)
        PROJECT.created_root = path
    return path


def platform_name() -> str:
    return {"Windows": "Windows", "Darwin": "Mac"}.get(platform.system(), "Linux")


def _dir(path: Path) -> str:
    path.mkdir(parents=True, exist_ok=True)
    return path.as_posix() + "/"


class SystemLibrary(BlueprintFunctionLibrary):
    """Engine, platform and project facts."""

    @classmethod
    def get_engine_version(cls) -> str:
        """The engine version string."""
        return ENGINE_VERSION

    @classmethod
    def get_game_name(cls) -> str:
        """The project name: its .uproject's, as in the editor, else MockProject."""
        descriptors = sorted(project_root().glob("*.uproject"))
        return descriptors[0].stem if descriptors else PROJECT_NAME

    @classmethod
    def get_platform_user_dir(cls) -> str:
        """The user's documents folder with a trailing slash, as the editor reports it (not created)."""
        documents = os.environ.get("XDG_DOCUMENTS_DIR") or str(Path.home() / "Documents")
        return Path(documents).as_posix().rstrip("/") + "/"

    @classmethod
    def get_platform_user_name(cls) -> str:
        """The OS user name."""
        return os.environ.get("USER") or os.environ.get("USERNAME") or "mock"

    @classmethod
    def get_project_directory(cls) -> str:
        """The project folder, with a trailing slash."""
        return Paths.project_dir()

    @classmethod
    def get_project_content_directory(cls) -> str:
        """The project's Content folder."""
        return Paths.project_content_dir()

    @classmethod
    def get_project_saved_directory(cls) -> str:
        """The project's Saved folder."""
        return Paths.project_saved_dir()

    @classmethod
    def get_display_name(cls, object: Any) -> str:
        """An object's display name (its label for an actor)."""
        if hasattr(type(object), "get_actor_label"):
            return object.get_actor_label()
        return object.get_name()

    @classmethod
    def get_object_name(cls, object: Any) -> str:
        """The object name."""
        return object.get_name() if object is not None else "None"

    @classmethod
    def get_path_name(cls, object: Any) -> str:  # type: ignore[override]
        """The object path."""
        return object.get_path_name() if object is not None else ""

    @classmethod
    def is_valid(cls, object: Any) -> bool:
        """True for a live object."""
        return object is not None

    @classmethod
    def is_packaged_for_distribution(cls) -> bool:
        """False: this is an editor."""
        return False

    @classmethod
    def print_string(
        cls,
        world_context_object: Any,
        string: str = "Hello",
        print_to_screen: bool = True,
        print_to_log: bool = True,
        text_color: Any = None,
        duration: float = 2.0,
        key: Any = "None",
    ) -> None:
        """Print to the log as `LogBlueprintUserMessages: [context] text`."""
        from ._logging import editor_log

        if print_to_log:
            context = world_context_object.get_name() if world_context_object is not None else ""
            editor_log("LogBlueprintUserMessages", "Log", f"[{context}] {string}")

    @classmethod
    def execute_console_command(
        cls, world_context_object: Any, command: str, specific_player: Any = None
    ) -> None:
        """Record a console command (the mock has no console)."""
        from ._logging import editor_log

        editor_log("Cmd", "Log", command)


class Paths(BlueprintFunctionLibrary):
    """Engine and project folders, as absolute paths ending in '/'."""

    @classmethod
    def project_dir(cls) -> str:
        """The project folder."""
        return _dir(project_root())

    @classmethod
    def project_content_dir(cls) -> str:
        """Content/"""
        return _dir(project_root() / "Content")

    @classmethod
    def project_saved_dir(cls) -> str:
        """Saved/"""
        return _dir(project_root() / "Saved")

    @classmethod
    def project_intermediate_dir(cls) -> str:
        """Intermediate/"""
        return _dir(project_root() / "Intermediate")

    @classmethod
    def project_config_dir(cls) -> str:
        """Config/"""
        return _dir(project_root() / "Config")

    @classmethod
    def project_log_dir(cls) -> str:
        """Saved/Logs/"""
        return _dir(project_root() / "Saved" / "Logs")

    @classmethod
    def project_plugins_dir(cls) -> str:
        """Plugins/"""
        return _dir(project_root() / "Plugins")

    @classmethod
    def project_user_dir(cls) -> str:
        """The project folder (user files live beside it)."""
        return cls.project_dir()

    @classmethod
    def screen_shot_dir(cls) -> str:
        """Saved/Screenshots/"""
        return _dir(project_root() / "Saved" / "Screenshots")

    @classmethod
    def automation_dir(cls) -> str:
        """Saved/Automation/"""
        return _dir(project_root() / "Saved" / "Automation")

    @classmethod
    def engine_dir(cls) -> str:
        """A stand-in engine folder beside the project."""
        return _dir(project_root().parent / "Engine")

    @classmethod
    def get_project_file_path(cls) -> str:
        """`<project>/<Name>.uproject`."""
        return (project_root() / f"{PROJECT_NAME}.uproject").as_posix()

    @classmethod
    def convert_relative_path_to_full(cls, path: str, base_path: str = "") -> str:
        """An absolute path; relative ones are taken from the project folder."""
        base = Path(base_path) if base_path else project_root()
        full = Path(path) if os.path.isabs(path) else base / path
        return Path(os.path.normpath(full)).as_posix()

    @classmethod
    def combine(cls, paths: List[str]) -> str:
        """Join path parts with '/'."""
        return "/".join(p.strip("/") if i else p.rstrip("/") for i, p in enumerate(paths) if p)

    @classmethod
    def get_extension(cls, path: str, include_dot: bool = False) -> str:
        """The file extension."""
        ext = os.path.splitext(path)[1]
        return ext if include_dot else ext.lstrip(".")

    @classmethod
    def get_base_filename(cls, path: str, remove_path: bool = True) -> str:
        """The file name without extension (and without folders when `remove_path`)."""
        stem = os.path.splitext(path)[0]
        return os.path.basename(stem) if remove_path else stem

    @classmethod
    def file_exists(cls, path: str) -> bool:
        """True for an existing file."""
        return os.path.isfile(path)

    @classmethod
    def directory_exists(cls, path: str) -> bool:
        """True for an existing folder."""
        return os.path.isdir(path)

    @classmethod
    def normalize_filename(cls, path: str) -> str:
        """Forward slashes."""
        return path.replace("\\", "/")

    @classmethod
    def make_path_relative_to(cls, path: str, relative_to: str) -> str:
        """`path` relative to the folder of `relative_to`."""
        folder = relative_to if relative_to.endswith("/") else os.path.dirname(relative_to)
        return Path(os.path.relpath(path, folder)).as_posix()
