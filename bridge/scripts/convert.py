"""Script return values as JSON: unreal objects become path names, structs dicts, enums names."""
from __future__ import annotations

import math
from typing import Any, Dict, Tuple

# The fields of the math structs scripts return most, in the editor's own order.
_STRUCT_FIELDS: Dict[str, Tuple[str, ...]] = {
    "Vector": ("x", "y", "z"),
    "Vector2D": ("x", "y"),
    "Vector4": ("x", "y", "z", "w"),
    "IntPoint": ("x", "y"),
    "IntVector": ("x", "y", "z"),
    "Rotator": ("roll", "pitch", "yaw"),
    "Quat": ("x", "y", "z", "w"),
    "LinearColor": ("r", "g", "b", "a"),
    "Color": ("r", "g", "b", "a"),
    "Transform": ("translation", "rotation", "scale3d"),
    "Box": ("min", "max", "is_valid"),
}
_MAX_DEPTH = 32


def _class_names(value: Any) -> Tuple[str, ...]:
    return tuple(cls.__name__ for cls in type(value).__mro__)


def to_json(value: Any, _depth: int = 0) -> Any:
    """A JSON-compatible copy of `value`; anything unknown becomes its repr rather than failing the job."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if _depth > _MAX_DEPTH:
        return repr(value)
    names = _class_names(value)
    if "EnumBase" in names or "Enum" in names:
        return str(getattr(value, "name", value))
    if "Name" in names or "Text" in names:
        return str(value)
    if callable(getattr(value, "get_path_name", None)):
        return str(value.get_path_name())
    if isinstance(value, dict) or callable(getattr(value, "items", None)):
        return {str(to_json(k, _depth + 1)): to_json(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)) or "Array" in names or "Set" in names:
        return [to_json(item, _depth + 1) for item in value]
    if "StructBase" in names:
        return _struct(value, names, _depth)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return repr(value)


def _struct(value: Any, names: Tuple[str, ...], depth: int) -> Any:
    for name in names:
        fields = _STRUCT_FIELDS.get(name)
        if fields is not None:
            try:
                return {field: to_json(_read(value, field), depth + 1) for field in fields}
            except Exception:  # a struct type we mapped wrongly for this engine version
                break
    return repr(value)


def _read(value: Any, field: str) -> Any:
    getter = getattr(value, "get_editor_property", None)
    if callable(getter):
        try:
            return getter(field)
        except Exception:
            pass
    return getattr(value, field)
