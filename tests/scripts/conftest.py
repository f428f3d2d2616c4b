"""Fixtures for the editor_scripts, REST, CLI and plugin-readiness tests."""
from __future__ import annotations

from mock_unreal.testing import unreal_project

__all__ = ["unreal_project"]
