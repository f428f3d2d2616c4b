"""Geometry structs the level APIs return."""

from __future__ import annotations

from typing import Optional

from ._core import prop
from ._math import Vector
from ._structs import StructBase


class Box(StructBase):
    """An axis-aligned box."""

    _editor_properties_ = {"min": prop(factory=Vector), "max": prop(factory=Vector), "is_valid": prop(True)}

    def __init__(self, min: Optional[Vector] = None, max: Optional[Vector] = None) -> None:
        super().__init__()
        self._props["min"] = min if min is not None else Vector()
        self._props["max"] = max if max is not None else Vector()
