"""The pytest plugin (entry point `pytest11`): `import unreal` works in tests, and an `unreal_project` fixture.

Installed with the package, it needs no conftest:

    def test_prefixes(unreal_project):
        unreal_project.run_script("Content/Python/tools/prefix_fixer.py")
        assert "/Game/Props/SM_Rock" in unreal_project.assets()

`--unreal-seed FILE` (or `unreal_seed = FILE` in the ini file, relative to it) seeds every test's project.
Disable the plugin with `-p no:mock_unreal`.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import Optional, Sequence

import pytest

from .testing import unreal_project, unreal_seed  # the fixtures this plugin provides

__all__ = ["unreal_project", "unreal_seed"]


class _UnrealFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers `import unreal` with the mock, ahead of any `unreal` on sys.path (only stubs live there:
    the editor's module is built in and already imported when tests run inside the editor)."""

    def find_spec(
        self, fullname: str, path: Optional[Sequence[str]], target: Optional[ModuleType] = None
    ) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname != "unreal":
            return None
        return importlib.machinery.ModuleSpec("unreal", self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        from . import install

        return install()

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the mock module is imported already."""


_FINDER = _UnrealFinder()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mock_unreal", "mock_unreal: editor scripts without an editor")
    group.addoption("--unreal-seed", metavar="FILE", default=None,
                    help="seed every test's unreal_project from this JSON or YAML project file")
    parser.addini("unreal_seed", "seed file for unreal_project, relative to the ini file", default="")


def pytest_configure(config: pytest.Config) -> None:
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
