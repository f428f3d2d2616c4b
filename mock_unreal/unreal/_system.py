"""`SystemLibrary` and `Paths`: who and where the (mock) editor is."""
from __future__ import annotations

import os
import platform
import tempfile
from pathlib import Path

ENGINE_VERSION = "5.6.0-43139311+++UE5+Release-5.6"
PROJECT_NAME = "MockProject"


def _project_root() -> Path:
    root = os.environ.get("UE_MOCK_PROJECT_DIR")
    path = Path(root) if root else Path(tempfile.gettempdir()) / f"mock_unreal_{os.getuid() if hasattr(os, 'getuid') else 0}" / PROJECT_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


class SystemLibrary:
    """A subset of `unreal.SystemLibrary`."""

    @classmethod
    def get_engine_version(cls) -> str:
        return ENGINE_VERSION

    @classmethod
    def get_game_name(cls) -> str:
        return PROJECT_NAME

    @classmethod
    def get_platform_user_name(cls) -> str:
        return os.environ.get("USER", "mock")

    @classmethod
    def get_project_directory(cls) -> str:
        return Paths.project_dir()


class Paths:
    """A subset of `unreal.Paths`; directories live in a real temporary project folder."""

    @classmethod
    def project_dir(cls) -> str:
        return str(_project_root()) + "/"

    @classmethod
    def project_content_dir(cls) -> str:
        return cls._sub("Content")

    @classmethod
    def project_saved_dir(cls) -> str:
        return cls._sub("Saved")

    @classmethod
    def project_intermediate_dir(cls) -> str:
        return cls._sub("Intermediate")

    @classmethod
    def _sub(cls, name: str) -> str:
        path = _project_root() / name
        path.mkdir(parents=True, exist_ok=True)
        return str(path) + "/"


def platform_name() -> str:
    return {"Windows": "Windows", "Darwin": "Mac"}.get(platform.system(), "Linux")
