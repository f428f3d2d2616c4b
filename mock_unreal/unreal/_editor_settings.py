"""Editor preference objects that scripts reach by object path, not by a Python class name.

UE 5.6's Python API does not expose `EditorPerformanceSettings`, so, as in the editor, its class
default object is found with `find_object(None, "/Script/UnrealEd.Default__EditorPerformanceSettings")`.
"""
from __future__ import annotations

from typing import Optional

from ._core import prop
from ._objects import Object, class_of


class _EditorPerformanceSettings(Object):
    """Editor Preferences > General > Performance."""

    _unreal_name_ = "EditorPerformanceSettings"
    _editor_properties_ = {
        # "Use Less CPU when in Background": on by default, as in the editor.
        "throttle_cpu_when_not_foreground": prop(True, attribute=False),
    }


def find_settings_object(path: str) -> Optional[Object]:
    """The preference object at a `/Script/...Default__X` path: the class default object, made on first use."""
    if path != "/Script/UnrealEd.Default__EditorPerformanceSettings":
        return None
    return class_of(_EditorPerformanceSettings)._cdo()
