"""editor_scripts/ call only what the real `unreal` module has, read from the unreal-stub wheel as data.

Passing on the mock is not enough: a name the mock grew by mistake would pass there and fail in the
editor. This reads each script with `ast` and checks every `unreal.X`, `unreal.X.member`, method
called on a value of a known class, keyword argument and editor property name it uses.
"""
from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Set

import pytest

from bridge.scripts.registry import builtin_scripts_dir, script_files
from mock_unreal import conformance

# Calls whose return type the stub's surface does not record.
RETURNS = {"get_asset_tools": "AssetTools", "get_asset_registry": "AssetRegistry"}
# Methods every unreal object has, besides those on its class (`_ObjectBase`, `StructBase`).
COMMON = {"get_editor_property", "set_editor_property", "get_name", "get_path_name", "modify"}


@pytest.fixture(scope="module")
def surface() -> conformance.Surface:
    """Required under CI=true, else skipped when the wheel cannot be fetched (offline)."""
    try:
        wheel = conformance.find_or_download_wheel()
    except Exception as exc:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(f"unreal-stub {conformance.STUB_VERSION} unavailable (offline?): {exc}")
    assert wheel is not None
    return conformance.load_surface(wheel)


class Checker(ast.NodeVisitor):
    def __init__(self, surface: conformance.Surface, filename: str) -> None:
        self.surface = surface
        self.filename = filename
        self.types: Dict[str, str] = {}  # local name -> unreal class it holds
        self.problems: List[str] = []

    # ---- what the surface knows ----------------------------------------------------------------

    def _lineage(self, name: str) -> List[Dict[str, Any]]:
        seen: Set[str] = set()
        todo, found = [name], []
        while todo:
            current = todo.pop()
            cls = self.surface["classes"].get(current)
            if cls is None or current in seen:
                continue
            seen.add(current)
            found.append(cls)
            todo.extend(cls.get("bases", []))
        return found

    def member(self, class_name: str, member: str) -> Optional[Dict[str, Any]]:
        for cls in self._lineage(class_name):
            if member in cls["members"]:
                return dict(cls["members"][member])
        return None

    def has_property(self, class_name: str, prop: str) -> bool:
        return any(prop in cls.get("editor_properties", {}) for cls in self._lineage(class_name))

    def report(self, node: ast.AST, message: str) -> None:
        self.problems.append(f"{self.filename}:{getattr(node, 'lineno', '?')}: {message}")

    # ---- what a script does ----------------------------------------------------------------------

    def unreal_class(self, node: ast.AST) -> Optional[str]:
        """`unreal.X` (or a local alias of it) naming a class, else None."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "unreal":
            return node.attr if node.attr in self.surface["classes"] else None
        if isinstance(node, ast.Name) and self.types.get(node.id, "").startswith("class:"):
            return self.types[node.id][len("class:"):]
        return None

    def value_type(self, node: ast.AST) -> Optional[str]:
        """The class of the value an expression makes, when the script makes it plainly."""
        if isinstance(node, ast.Call):
            made = self.unreal_class(node.func)
            if made is not None:
                return made
            if isinstance(node.func, ast.Attribute):
                if node.func.attr == "get_editor_subsystem" and node.args:
                    return self.unreal_class(node.args[0])
                if node.func.attr in RETURNS:
                    return RETURNS[node.func.attr]
        return None

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                cls = self.unreal_class(node.value)
                made = self.value_type(node.value)
                if cls is not None:
                    self.types[target.id] = "class:" + cls
                elif made is not None:
                    self.types[target.id] = made
        self.generic_visit(node)

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            made = self.value_type(item.context_expr)
            if made is not None and isinstance(item.optional_vars, ast.Name):
                self.types[item.optional_vars.id] = made
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and node.value.id == "unreal":
            known = (node.attr in self.surface["classes"] or node.attr in self.surface["functions"]
                     or node.attr in self.surface["names"])
            if not known:
                self.report(node, f"unreal.{node.attr} is not in the real API")
        cls = self.unreal_class(node.value)
        if cls is not None and self.member(cls, node.attr) is None:
            self.report(node, f"unreal.{cls}.{node.attr} is not in the real API")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        params: Optional[List[Any]] = None
        where = ""
        if isinstance(func, ast.Attribute):
            owner = self.unreal_class(func.value)
            if owner is None and isinstance(func.value, ast.Name):
                owner = self.types.get(func.value.id)
                if owner is not None and func.attr not in COMMON and self.member(owner, func.attr) is None:
                    self.report(node, f"{owner}.{func.attr} is not in the real API")
            if owner is not None and not owner.startswith("class:"):
                found = self.member(owner, func.attr)
                params, where = (found or {}).get("params"), f"{owner}.{func.attr}"
                if func.attr in ("set_editor_property", "get_editor_property") and node.args:
                    name = node.args[0]
                    if isinstance(name, ast.Constant) and not self.has_property(owner, str(name.value)):
                        self.report(node, f"{owner} has no editor property {name.value!r}")
            if isinstance(func.value, ast.Name) and func.value.id == "unreal":
                found = self.surface["functions"].get(func.attr)
                params, where = (found or {}).get("params"), f"unreal.{func.attr}"
        if params is not None:
            names = {p[0] for p in params}
            for keyword in node.keywords:
                if keyword.arg is not None and keyword.arg not in names:
                    self.report(node, f"{where}() takes no keyword {keyword.arg!r}")
        self.generic_visit(node)


def check(path: Path, surface: conformance.Surface) -> List[str]:
    checker = Checker(surface, path.name)
    checker.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return checker.problems


def test_every_editor_script_uses_only_the_real_api(surface: conformance.Surface) -> None:
    files = script_files(builtin_scripts_dir())
    assert len(files) >= 10
    problems = [problem for path in files for problem in check(path, surface)]
    assert problems == []


def test_the_checker_catches_invented_names(surface: conformance.Surface, tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import unreal\n"
        "def bad():\n"
        "    unreal.EditorAssetLibrary.list_everything('/Game')\n"
        "    unreal.EditorAssetLibrary.list_assets('/Game', recurse=True)\n"
        "    unreal.MagicLibrary.do()\n"
        "    actors = unreal.get_editor_subsystem(unreal.EditorActorSubsystem)\n"
        "    actors.spawn_everything()\n"
        "    task = unreal.AssetImportTask()\n"
        "    task.set_editor_property('file_name', 'x')\n",
        encoding="utf-8",
    )
    problems = "\n".join(check(bad, surface))
    assert "EditorAssetLibrary.list_everything is not in the real API" in problems
    assert "takes no keyword 'recurse'" in problems
    assert "unreal.MagicLibrary is not in the real API" in problems
    assert "EditorActorSubsystem.spawn_everything is not in the real API" in problems
    assert "AssetImportTask has no editor property 'file_name'" in problems
