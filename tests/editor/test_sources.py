"""Files and modules as the editor runs them, and the editor's Python path, without HTTP."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Iterator

import pytest

from bridge.editor.pythonpath import (
    add_to_sys_path,
    configured_folders,
    content_python_folders,
    is_bridge_plugin_script,
    plugin_folders,
    run_startup_scripts,
    startup_scripts,
)
from bridge.editor.sessions import fresh_globals
from bridge.editor.sources import (
    FileNotFound,
    FileSource,
    ModuleSource,
    PathNotAllowed,
    ProjectFolders,
    SourceRefused,
    run_file,
    run_module,
)


@pytest.fixture(autouse=True)
def clean_imports() -> Iterator[None]:
    path, argv, modules = list(sys.path), list(sys.argv), set(sys.modules)
    yield
    sys.path[:], sys.argv[:] = path, argv
    for name in set(sys.modules) - modules:
        del sys.modules[name]


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "Game"
    write(root / "Game.uproject", "{}")
    (root / "Content" / "Python").mkdir(parents=True)
    return root.resolve()


def test_the_python_folders_are_the_projects_then_each_plugins(project: Path) -> None:
    write(project / "Plugins" / "B" / "B.uplugin", "{}")
    write(project / "Plugins" / "B" / "Content" / "Python" / "Lib" / "site-packages" / "dep.py")
    write(project / "Plugins" / "Group" / "A" / "A.uplugin", "{}")
    (project / "Plugins" / "Group" / "A" / "Content" / "Python").mkdir(parents=True)
    write(project / "Plugins" / "NoPython" / "NoPython.uplugin", "{}")
    # A .uplugin under a plugin's own Content is not another plugin the editor mounts.
    write(project / "Plugins" / "B" / "Content" / "Python" / "Nested" / "Nested.uplugin", "{}")
    assert plugin_folders(project) == [project / "Plugins" / "B", project / "Plugins" / "Group" / "A",
                                       project / "Plugins" / "NoPython"]
    assert content_python_folders(project) == [
        project / "Content" / "Python",
        project / "Plugins" / "B" / "Content" / "Python",
        project / "Plugins" / "B" / "Content" / "Python" / "Lib" / "site-packages",
        project / "Plugins" / "Group" / "A" / "Content" / "Python",
    ]


def test_sys_path_entries_are_added_once_in_order(tmp_path: Path) -> None:
    target = [str(tmp_path / "a")]
    added = add_to_sys_path([tmp_path / "a", tmp_path / "b", tmp_path / "c", tmp_path / "b"], target)
    assert added == [str(tmp_path / "b"), str(tmp_path / "c")]
    assert target == [str(tmp_path / p) for p in ("a", "b", "c")]
    assert configured_folders([Path("Scripts"), tmp_path / "abs"], tmp_path / "P") == [
        (tmp_path / "P" / "Scripts").resolve(), (tmp_path / "abs").resolve()]


def test_startup_scripts_run_in_sys_path_order_in_shared_globals(project: Path, tmp_path: Path) -> None:
    first = write(project / "Content" / "Python" / "init_unreal.py", "order = ['project']\n")
    second = write(tmp_path / "extra" / "init_unreal.py", "order.append('extra:' + __file__)\n")
    broken = write(tmp_path / "broken" / "init_unreal.py", "raise RuntimeError('no menu')\n")
    last = write(tmp_path / "last" / "init_unreal.py", "order.append('last')\n")
    entries = [str(first.parent), "", str(tmp_path / "missing"), str(second.parent), str(first.parent),
               str(broken.parent), str(last.parent)]
    scripts = startup_scripts(entries)
    assert scripts == [first, second, broken, last]  # each once, in sys.path order
    console = fresh_globals()
    failures = run_startup_scripts(scripts, console)
    assert console["order"] == ["project", f"extra:{second}", "last"]
    assert len(failures) == 1 and "RuntimeError: no menu" in failures[0] and str(broken) in failures[0]
    assert "__file__" not in console


def test_the_bridge_plugins_own_startup_script_is_recognised(project: Path) -> None:
    ours = write(project / "Plugins" / "PythonBridge" / "Content" / "Python" / "init_unreal.py")
    write(project / "Plugins" / "PythonBridge" / "PythonBridge.uplugin", "{}")
    other = write(project / "Plugins" / "Tools" / "Content" / "Python" / "init_unreal.py")
    write(project / "Plugins" / "Tools" / "Tools.uplugin", "{}")
    assert is_bridge_plugin_script(ours) and not is_bridge_plugin_script(other)
    assert startup_scripts([str(ours.parent), str(other.parent)], skip=is_bridge_plugin_script) == [other]


def test_files_may_run_only_from_the_allowed_folders(project: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    inside = write(project / "Content" / "Python" / "tool.py")
    in_project = write(project / "Scripts" / "cook.py")
    configured = write(shared / "lib_tool.py")
    outside = write(tmp_path / "other" / "x.py")
    engine = write(tmp_path / "Engine" / "Plugins" / "P" / "Content" / "Python" / "engine_tool.py")
    folders = ProjectFolders.of(project, [shared], [str(engine.parent)])
    assert folders.allowed == [project, project / "Content" / "Python", engine.parent.resolve(), shared.resolve()]
    assert folders.resolve(str(inside)) == inside.resolve()
    assert folders.resolve("tool.py") == inside.resolve()  # not in the project folder: found in Content/Python
    assert folders.resolve("Scripts/cook.py") == in_project.resolve()
    assert folders.resolve("lib_tool.py") == configured.resolve()
    assert folders.resolve(str(engine)) == engine.resolve()
    with pytest.raises(PathNotAllowed) as refused:
        folders.resolve(str(outside))
    assert str(outside) in str(refused.value) and str(project) in str(refused.value)
    with pytest.raises(PathNotAllowed):
        folders.resolve(str(tmp_path / "other" / "missing.py"))  # outside says so, even when missing
    with pytest.raises(FileNotFound, match="looked in"):
        folders.resolve("nowhere.py")
    with pytest.raises(SourceRefused, match="is a folder"):
        folders.resolve("Scripts")


def test_a_file_in_a_package_on_sys_path_is_its_module(project: Path, tmp_path: Path) -> None:
    python = project / "Content" / "Python"
    write(python / "pkg" / "__init__.py")
    write(python / "pkg" / "sub" / "__init__.py")
    deep = write(python / "pkg" / "sub" / "tool.py")
    init = python / "pkg" / "__init__.py"
    loose = write(python / "loose.py")
    no_init = write(python / "plain" / "tool.py")
    on_path = ProjectFolders.of(project, [], [str(python)])
    assert on_path.package_module(deep) == "pkg.sub.tool"
    assert on_path.package_module(init) is None and on_path.package_module(loose) is None
    assert on_path.package_module(no_init) is None
    assert ProjectFolders.of(project, [], []).package_module(deep) is None  # its root is not on sys.path
    dashed = write(python / "my-pkg" / "__init__.py")
    assert on_path.package_module(write(dashed.parent / "tool.py")) is None  # not an importable name


def test_run_file_sets_file_argv_and_path_for_the_run_only(tmp_path: Path) -> None:
    tool = write(tmp_path / "tools" / "t.py", """\
        import sys
        RESULT.extend([__name__, __file__, list(sys.argv), sys.path[0]])
    """)
    results: list = []
    import builtins

    builtins.RESULT = results  # type: ignore[attr-defined]
    try:
        before_argv, before_path = list(sys.argv), list(sys.path)
        run_file(tool, ["a", "b"])
    finally:
        del builtins.RESULT  # type: ignore[attr-defined]
    assert results == ["__main__", str(tool), [str(tool), "a", "b"], str(tool.parent)]
    assert sys.argv == before_argv and sys.path == before_path
    source = FileSource(tool, ("a",))
    assert source.command == f"python {tool} a" and source.describe() == {
        "file": str(tool), "module": None, "args": ["a"]}


def test_run_file_puts_argv_back_when_the_file_raises(tmp_path: Path) -> None:
    tool = write(tmp_path / "boom.py", "raise KeyError('x')\n")
    before_argv, before_path = list(sys.argv), list(sys.path)
    with pytest.raises(KeyError):
        run_file(tool, ["z"])
    assert sys.argv == before_argv and sys.path == before_path


def test_run_module_runs_as_main_with_its_package(tmp_path: Path) -> None:
    write(tmp_path / "runpkg" / "__init__.py", "SEEN = []\n")
    write(tmp_path / "runpkg" / "helper.py", "VALUE = 7\n")
    write(tmp_path / "runpkg" / "job.py", """\
        import sys
        from . import SEEN
        from .helper import VALUE
        SEEN.append((__name__, __package__, VALUE, sys.argv[1:], __spec__.name))
    """)
    sys.path.insert(0, str(tmp_path))
    run_module("runpkg.job", ["x"])
    import runpkg

    assert runpkg.SEEN == [("__main__", "runpkg", 7, ["x"], "runpkg.job")]
    assert ModuleSource("runpkg.job", ("x",)).command == "python -m runpkg.job x"
    with pytest.raises(ModuleNotFoundError, match=r"No module named 'runpkg\.nothing'"):
        run_module("runpkg.nothing", [])
    with pytest.raises(ModuleNotFoundError, match="is a package and cannot be directly executed"):
        run_module("runpkg", [])


def test_the_python_paths_setting_comes_from_the_environment_as_a_json_list(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bridge.config import Settings

    def load() -> Settings:
        return Settings(**{})  # from the environment and the file alone (mypy sees no pydantic plugin)

    monkeypatch.setenv("UE_BRIDGE_PYTHON__PATHS", '["Scripts/Python", "/studio/python"]')
    assert load().python.paths == [Path("Scripts/Python"), Path("/studio/python")]
    monkeypatch.setenv("UE_BRIDGE_PYTHON__PATHS", "Scripts/Python")
    with pytest.raises(ValueError, match="python"):
        load()
    monkeypatch.delenv("UE_BRIDGE_PYTHON__PATHS")
    settings_file = write(tmp_path / "bridge.json", '{"python": {"paths": ["Tools"]}, '
                                                    '"remote_execution": {"enabled": true, "multicast_port": 7000}}')
    monkeypatch.setenv("UE_BRIDGE_CONFIG", str(settings_file))
    settings = load()
    assert settings.python.paths == [Path("Tools")]
    assert (settings.remote_execution.enabled, settings.remote_execution.multicast_port) == (True, 7000)
    monkeypatch.delenv("UE_BRIDGE_CONFIG")
    assert load().remote_execution.enabled is False  # off unless turned on
