"""A stateful fake of Unreal's `unreal` module, for running editor scripts without an editor."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

__all__ = ["install"]


def install() -> ModuleType:
    """Make `import unreal` return the mock, unless a real `unreal` is already imported."""
    existing = sys.modules.get("unreal")
    if existing is not None:
        return existing
    module = importlib.import_module("mock_unreal.unreal")
    sys.modules["unreal"] = module
    return module
