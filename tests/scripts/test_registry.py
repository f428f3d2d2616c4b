"""ScriptRegistry and ScriptWatcher without HTTP: discovery, schemas, errors, reload on change."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

from bridge.scripts.convert import to_json
from bridge.scripts.registry import ScriptParamsError, ScriptRegistry, builtin_scripts_dir, split_docstring
from bridge.scripts.watch import ScriptWatcher


def write(directory: Path, name: str, source: str) -> Path:
    path = directory / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def test_docstring_summary_and_args() -> None:
    summary, params = split_docstring(
        """Rename assets.

        Longer text that is not the summary.

        Args:
            prefix (str): what to put in front,
                continued here
            dry_run: only report
        Returns:
            the new names
        """
    )
    assert summary == "Rename assets."
    assert params == {"prefix": "what to put in front, continued here", "dry_run": "only report"}


def test_function_choice_and_parameter_rules(tmp_path: Path) -> None:
    write(tmp_path, "named", "def helper(): pass\ndef named(x: int) -> int:\n    return x\n")
    write(tmp_path, "exported", "__all__ = ['go']\ndef go(): pass\ndef other(): pass\n")
    write(tmp_path, "two", "def a(): pass\ndef b(): pass\n")
    write(tmp_path, "varargs", "def varargs(*names: str): pass\n")
    write(tmp_path, "shadow", "def shadow(json: str, copy: bool = False) -> str:\n    return json\n")
    write(tmp_path, "exits", "raise SystemExit(3)\n")
    registry = ScriptRegistry([tmp_path])
    registry.reload()
    scripts = {s.name: s for s in registry.list()}
    assert scripts["named"].function is not None and scripts["named"].function.__name__ == "named"
    assert scripts["exported"].function is not None and scripts["exported"].function.__name__ == "go"
    assert "one public function (found: a, b)" in (scripts["two"].error or "")
    assert "*names cannot be given over JSON" in (scripts["varargs"].error or "")
    assert "SystemExit" in (scripts["exits"].error or "")
    # parameters named like BaseModel attributes still work
    assert scripts["shadow"].validate({"json": "x", "copy": True}) == {"json": "x", "copy": True}
    assert list(scripts["shadow"].parameters["properties"]) == ["json", "copy"]
    with pytest.raises(ScriptParamsError, match=r"params\.x: Input should be a valid integer"):
        scripts["named"].validate({"x": "ten"})


def test_annotated_bounds_reach_the_schema_and_are_enforced(tmp_path: Path) -> None:
    write(tmp_path, "pick", """
        from typing import Annotated
        from pydantic import Field

        def pick(count: Annotated[int, Field(ge=1, le=10)] = 3) -> int:
            return count
    """)
    registry = ScriptRegistry([tmp_path])
    registry.reload()
    script = {s.name: s for s in registry.list()}["pick"]
    assert script.error is None, script.error
    count = script.parameters["properties"]["count"]
    assert (count["minimum"], count["maximum"], count["default"]) == (1, 10, 3)
    assert script.validate({"count": 10}) == {"count": 10}
    with pytest.raises(ScriptParamsError, match=r"params\.count: Input should be less than or equal to 10"):
        script.validate({"count": 11})


def test_later_directories_override_and_unchanged_files_are_not_reimported(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write(first, "same", "def same() -> str:\n    return 'builtin'\n")
    write(first, "counted", "import builtins\n"
                            "builtins._bridge_loads = getattr(builtins, '_bridge_loads', 0) + 1\n"
                            "def counted() -> None: pass\n")
    write(second, "same", "def same() -> str:\n    return 'project'\n")
    registry = ScriptRegistry([first, second])
    registry.reload()
    script = registry.get("same")
    assert script is not None and script.function is not None and script.function() == "project"
    import builtins

    loads = builtins._bridge_loads  # type: ignore[attr-defined]
    registry.reload()
    assert builtins._bridge_loads == loads  # type: ignore[attr-defined]
    del builtins._bridge_loads  # type: ignore[attr-defined]


def test_builtin_directory_is_editor_scripts() -> None:
    assert builtin_scripts_dir().name == "editor_scripts"
    assert (builtin_scripts_dir() / "__init__.py").is_file()


def test_watcher_reloads_added_changed_and_removed_scripts(tmp_path: Path) -> None:
    registry = ScriptRegistry([tmp_path])
    registry.reload()
    watcher = ScriptWatcher(registry, debounce_seconds=0.05)
    watcher.start()
    try:
        generation = registry.generation
        path = write(tmp_path, "fresh", "def fresh() -> int:\n    return 1\n")
        assert wait_until(registry, generation, lambda: registry.get("fresh") is not None)
        generation = registry.generation
        path.write_text("def fresh() -> int:\n    '''Changed.'''\n    return 2\n", encoding="utf-8")
        assert wait_until(registry, generation, lambda: _description(registry, "fresh") == "Changed.")
        generation = registry.generation
        path.unlink()
        assert wait_until(registry, generation, lambda: registry.get("fresh") is None)
    finally:
        watcher.stop()


def _description(registry: ScriptRegistry, name: str) -> str:
    script = registry.get(name)
    return script.description if script is not None else ""


def wait_until(registry: ScriptRegistry, generation: int, condition: Callable[[], bool]) -> bool:
    """Wait (bounded) for reloads until `condition` holds."""
    for _ in range(100):
        if condition():
            return True
        registry.wait_for_generation(generation, 0.2)
        generation = registry.generation
    return condition()


def test_debounce_coalesces_a_burst_into_one_reload(tmp_path: Path) -> None:
    registry = ScriptRegistry([tmp_path])
    watcher = ScriptWatcher(registry, debounce_seconds=0.2)
    for _ in range(20):
        watcher.poke()
    assert registry.wait_for_generation(0, 10)
    assert not registry.wait_for_generation(1, 0.4)
    assert registry.generation == 1
    watcher.stop()


class FakeStruct:
    """Stands in for an unreal struct: classes named like the editor's."""


def test_to_json_converts_objects_structs_and_containers() -> None:
    class StructBase:
        pass

    class Vector(StructBase):
        def __init__(self) -> None:
            self.x, self.y, self.z = 1.0, 2.0, 3.0

    class Thing:
        def get_path_name(self) -> str:
            return "/Game/Thing.Thing"

    value = {"v": Vector(), "objs": (Thing(), None), "n": float("nan"), 1: {"x"}}
    assert to_json(value) == {
        "v": {"x": 1.0, "y": 2.0, "z": 3.0},
        "objs": ["/Game/Thing.Thing", None],
        "n": "nan",
        "1": ["x"],
    }
    assert to_json(FakeStruct()).startswith("<")

