"""Editor preference objects that scripts reach by object path, not by a Python class name.

UE 5.6's Python API does not expose `EditorPerformanceSettings`, so, as in the editor, its class
default object is found with `find_object(None, "/Script/UnrealEd.Default__EditorPerformanceSettings")`.
"""
from __future__ import annotations

from typing import Dict, Optional

from ._core import prop
from ._objects import Object


class _EditorPerformanceSettings(Object):
    """Editor Preferences > General > Performance."""

    _unreal_name_ = "EditorPerformanceSettings"
    _editor_properties_ = {
        # "Use Less CPU when in Background": on by default, as in the editor.
        "throttle_cpu_when_not_foreground": prop(True, attribute=False),
    }


_BY_PATH: Dict[str, Object] = {}


def find_settings_object(path: str) -> Optional[Object]:
    """The preference object at a `/Script/...Default__X` path, created on first use."""
    if path != "/Script/UnrealEd.Default__EditorPerformanceSettings":
        return None
    found = _BY_PATH.get(path)
    if found is None:
        found = _BY_PATH[path] = _EditorPerformanceSettings(None, "Default__EditorPerformanceSettings")
    return found
