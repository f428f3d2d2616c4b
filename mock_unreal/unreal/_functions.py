"""Module-level functions of `unreal`: loading, finding and creating objects, engine facts."""

from __future__ import annotations

import sys
from typing import Any, Optional

from . import _assets
from ._core import unreal_name
from ._logging import editor_log
from ._objects import Object, class_of, resolve_class


def _lookup(name: Any, type: Any) -> Optional[Object]:
    text = str(name)
    if text.startswith("/Script/"):
        from ._editor_settings import find_settings_object

        return find_settings_object(text)
    asset = _assets.find(text)
    if asset is None:
        from ._level import all_actor_objects

        asset = next((o for o in all_actor_objects() if o.get_path_name() == text), None)
    if asset is not None and type is not None and not isinstance(asset, resolve_class(type)):
        return None
    return asset


def _warn_missing(name: Any, type: Any) -> None:
    cls_name = unreal_name(resolve_class(type)) if type else "Object"
    package, asset = _assets.split_path(name)
    editor_log("LogUObjectGlobals", "Warning", f"Failed to find object '{cls_name} {package}.{asset}'")


def load_asset(name: str, type: Any = Object, follow_redirectors: bool = True) -> Optional[Object]:
    """The asset at `name` (package or object path), or None with a warning in the log."""
    found = _lookup(name, type)
    if found is None:
        _warn_missing(name, type)
    return found


def find_asset(name: str, type: Any = Object, follow_redirectors: bool = True) -> Optional[Object]:
    """The asset at `name` if it is loaded (every asset is, in the mock), else None."""
    return _lookup(name, type)


def load_object(
    outer: Optional[Object], name: str, type: Any = Object, follow_redirectors: bool = True
) -> Optional[Object]:
    """The object at path `name`, or None with a warning in the log."""
    found = _lookup(_resolve(outer, name), type)
    if found is None:
        _warn_missing(name, type)
    return found


def find_object(
    outer: Optional[Object], name: str, type: Any = Object, follow_redirectors: bool = True
) -> Optional[Object]:
    """The object at path `name`, or None."""
    return _lookup(_resolve(outer, name), type)


def _resolve(outer: Optional[Object], name: str) -> str:
    return (
        f"{outer.get_path_name()}.{name}"
        if outer is not None and not str(name).startswith("/")
        else str(name)
    )


def new_object(
    type: Any, outer: Optional[Object] = None, name: Any = "None", base_type: Any = Object
) -> Object:
    """A new object of `type` (a transient one unless `outer` is given)."""
    cls = resolve_class(type)
    base = resolve_class(base_type)
    if not issubclass(cls, base):
        raise TypeError(f"new_object: '{cls.__name__}' is not a subclass of '{base.__name__}'")
    return cls(outer=outer, name="" if str(name) == "None" else name)  # type: ignore[call-arg, return-value]


def load_class(outer: Optional[Object], name: str, type: Any = Object) -> Any:
    """The Class for a path such as `/Script/Engine.StaticMeshActor` or a blueprint's `..._C`."""
    text = str(name).strip("'")
    if text.endswith("_C"):
        blueprint = _assets.find(text[:-2])
        if blueprint is not None and hasattr(blueprint, "generated_class"):
            return blueprint.generated_class()
    try:
        from ._registry_types import type_by_name

        return class_of(type_by_name(text))
    except ValueError:
        editor_log("LogUObjectGlobals", "Warning", f"Failed to find object 'Class {text}'")
        return None


def get_default_object(type: Any) -> Any:
    """The class default object of `type`."""
    return class_of(resolve_class(type))._cdo()


def is_editor() -> bool:
    """True: the mock is an editor."""
    return True


def get_interpreter_executable_path() -> str:
    """The Python interpreter (the editor binary is `sys.executable` in the real editor)."""
    return sys.executable


def collect_garbage() -> None:
    """Nothing to collect: the mock keeps no unreferenced objects."""
