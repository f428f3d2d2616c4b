"""Find a mock type by the names scripts use for classes: `StaticMesh` or `/Script/Engine.StaticMesh`."""

from __future__ import annotations

import sys
from typing import Dict

from ._core import unreal_name


def type_by_name(name: str) -> type:
    """The mock type for a class name or path; ValueError when the mock has no such class."""
    short = name.rsplit(".", 1)[-1].strip("'\"")
    module = sys.modules["mock_unreal.unreal"]
    found = getattr(module, "__dict__", {}).get(short)
    if isinstance(found, type):
        return found
    generated = _generated.get(short)
    if generated is not None:
        return generated
    raise ValueError(f"unknown class {name!r}: mock_unreal has no class of that name")


_generated: Dict[str, type] = {}


def register(python_type: type) -> None:
    """Make a Python-generated (`@unreal.uclass()`) or blueprint class findable by name."""
    _generated[unreal_name(python_type)] = python_type
