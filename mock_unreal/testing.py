"""Test and CI support: reset the mock project, seed it from a dict/JSON/YAML, inspect what scripts did.

def test_rename(unreal_project):                 # the fixture of the mock_unreal pytest plugin
    unreal_project.seed({"assets": {"/Game/Props/Rock": "StaticMesh"}})
    unreal_project.run_script("rename.py")
    assert "/Game/Props/SM_Rock" in unreal_project.assets()
"""

from __future__ import annotations

import io
import json
import runpy
import wave
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Union

from . import install

__all__ = ["Checker", "MockProject", "SeedSpec", "project_fixture", "reset", "seed_from_config"]

SeedSpec = Dict[str, Any]
SEED_KEYS = frozenset({
    "directories", "files", "assets", "references", "soft_references", "level", "actors",
    "selected_assets", "selected_folders", "selected_actors",
})


def reset(project_dir: Optional[Union[str, Path]] = None) -> None:
    """Empty the project, the log and the name counters; tick callbacks stay (the bridge owns them)."""
    from .unreal import _logging, _objects, _state

    _state.PROJECT.reset()
    _logging.clear()
    _objects.reset_names()
    if project_dir is not None:
        _state.PROJECT.project_dir = Path(project_dir)
        _state.PROJECT.project_dir.mkdir(parents=True, exist_ok=True)
    _logging.start_log_file()


class MockProject:
    """A handle on the mock editor's state, for seeding before and asserting after a script."""

    def __init__(self) -> None:
        self.unreal = install()
        from .unreal import _state

        self._state = _state.PROJECT

    # ---- seeding -------------------------------------------------------------------------------

    def seed(self, spec: SeedSpec) -> MockProject:
        """Add directories, files, assets, a level, actors and selections described by `spec`."""
        unknown = sorted(set(spec) - SEED_KEYS)
        if unknown:
            raise ValueError(f"unknown seed keys {unknown}; a seed may have {sorted(SEED_KEYS)}")
        for directory in spec.get("directories", []):
            self.unreal.EditorAssetLibrary.make_directory(directory)
        for relative, content in spec.get("files", {}).items():
            self.write_file(relative, content)
        assets = spec.get("assets", {})
        items = assets.items() if isinstance(assets, dict) else ((a["path"], a) for a in assets)
        pending = []
        for path, desc in items:
            desc = {"class": desc} if isinstance(desc, str) else dict(desc)
            pending.append((self.add_asset(desc["class"], path), desc))
        for asset, desc in pending:  # second pass: properties may name assets created above
            self._apply_asset(asset, desc)
        for package, targets in spec.get("references", {}).items():
            self._state.extra_references.setdefault(package, set()).update(targets)
        for package, targets in spec.get("soft_references", {}).items():
            self._state.soft_references.setdefault(package, set()).update(targets)
        if "level" in spec:
            self.open_level(spec["level"])
        for actor in spec.get("actors", []):
            self.add_actor(**actor)
        if "selected_assets" in spec:
            self.select_assets(spec["selected_assets"])
        if "selected_folders" in spec:
            self.select_folders(spec["selected_folders"])
        if "selected_actors" in spec:
            self.select_actors(spec["selected_actors"])
        return self

    def seed_file(self, path: Union[str, Path]) -> MockProject:
        """Seed from a .json, .yaml or .yml file."""
        text = Path(path).read_text(encoding="utf-8")
        if str(path).endswith((".yaml", ".yml")):
            import yaml

            return self.seed(yaml.safe_load(text) or {})
        return self.seed(json.loads(text))

    def write_file(self, relative: str, content: Any) -> Path:
        """A real file under the project folder: text, bytes, {"png": [w, h]} or {"wav": seconds}."""
        target = Path(self.unreal.Paths.project_dir()) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict) and "png" in content:
            from .unreal._screenshots import _png

            target.write_bytes(_png(*content["png"]))
        elif isinstance(content, dict) and "wav" in content:
            target.write_bytes(_wav(float(content["wav"])))
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(str(content), encoding="utf-8")
        return target

    def add_asset(self, class_name: str, path: str, saved: bool = True, **properties: Any) -> Any:
        """Create an asset of `class_name` at `/Game/...`; seeded assets count as saved unless told."""
        from .unreal import _assets
        from .unreal._registry_types import type_by_name

        package, name = _assets.split_path(path)
        asset = _assets.create(type_by_name(class_name), package.rsplit("/", 1)[0], name, dirty=not saved)
        if saved:
            object.__setattr__(asset.get_outermost(), "_saved", True)
        self._apply_asset(asset, {"properties": properties})
        return asset

    def _apply_asset(self, asset: Any, desc: Dict[str, Any]) -> None:
        from .unreal import _assets

        dirty = _assets.is_dirty(asset)
        for key, value in desc.get("properties", {}).items():
            if asset._property_spec(key).read_only:  # a seed describes the asset, as an import would make it
                asset._props[asset._property_key(key)] = self._resolve(value)
            else:
                asset.set_editor_property(key, self._resolve(value))
        for slot in desc.get("materials", []):
            asset.add_material(self._resolve(slot))
        for tag, value in desc.get("metadata", {}).items():
            self.unreal.EditorAssetLibrary.set_metadata_tag(asset, tag, value)
        for name, value in desc.get("scalar_parameters", {}).items():
            vars(asset)["_scalars"][name.lower()] = float(value)
        object.__setattr__(asset.get_outermost(), "_dirty", dirty or not desc.get("saved", True))

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith("/") and self.asset(value) is not None:
            return self.asset(value)
        return value

    def open_level(self, path: str) -> Any:
        """Make a map asset (created if needed) the open level."""
        from .unreal import _level

        world = self.asset(path) or self.add_asset("World", path)
        return _level.open_world(world.get_outermost().get_name(), world)

    def add_actor(
        self,
        label: str,
        cls: str = "StaticMeshActor",
        location: Any = (0, 0, 0),
        rotation: Any = (0, 0, 0),
        scale: Any = (1, 1, 1),
        folder: str = "",
        tags: Any = (),
        static_mesh: Optional[str] = None,
        selected: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Place an actor; `rotation` is (roll, pitch, yaw) like unreal.Rotator."""
        from .unreal import _level

        u = self.unreal
        cls = kwargs.pop("class", cls)
        if kwargs:
            raise TypeError(f"unknown actor fields: {sorted(kwargs)}")
        actor = _level.spawn(getattr(u, cls), u.Vector(*location), u.Rotator(*rotation), label=label)
        actor.set_actor_scale3d(u.Vector(*scale))
        if folder:
            actor.set_folder_path(folder)
        for tag in tags:
            actor.tags.append(u.Name(tag))
        if static_mesh:
            actor.static_mesh_component.set_static_mesh(self.asset(static_mesh))
        if selected:
            _level.set_selected(actor, True)
        object.__setattr__(actor.get_outermost(), "_dirty", False)
        return actor

    def select_assets(self, paths: List[str]) -> None:
        """Select assets in the Content Browser (what EditorUtilityLibrary.get_selected_assets returns)."""
        missing = [p for p in paths if self.asset(p) is None]
        if missing:
            raise KeyError(f"cannot select assets that do not exist: {missing}")
        self._state.selected_assets = [self.asset(p) for p in paths]

    def select_folders(self, paths: List[str]) -> None:
        """Select folders in the Content Browser (EditorUtilityLibrary.get_selected_folder_paths)."""
        self._state.selected_folders = [str(p) for p in paths]

    def select_actors(self, labels: List[str]) -> None:
        """Select level actors by label (what the actor subsystem's get_selected_level_actors returns)."""
        from .unreal import _level

        _level.select([self.actor(label) for label in labels])

    def answer_dialogs(self, *answers: str, default: Optional[str] = None) -> None:
        """Queue EditorDialog answers by name ("YES", "NO", "CANCEL"...); `default` answers the rest."""
        kind = self.unreal.AppReturnType
        self._state.dialog_answers.extend(getattr(kind, a) for a in answers)
        if default is not None:
            self._state.dialog_default_answer = getattr(kind, default)

    def cancel_slow_tasks_after(self, frames: Optional[int]) -> None:
        """Make `should_cancel()` true once a cancellable ScopedSlowTask has entered `frames` frames."""
        self._state.cancel_slow_tasks_after = frames

    # ---- running -------------------------------------------------------------------------------

    def run_script(self, path: Union[str, Path], run_name: str = "__main__") -> Dict[str, Any]:
        """Run a script file as the editor's `py` command does; returns its globals."""
        return runpy.run_path(str(path), run_name=run_name)

    # ---- inspection ----------------------------------------------------------------------------

    def asset(self, path: str) -> Any:
        """The asset at a path, or None."""
        from .unreal import _assets

        return _assets.find(path)

    def assets(self, under: str = "/Game") -> Dict[str, str]:
        """{package name: class name} of every asset under a folder."""
        root = under.rstrip("/") + "/"
        return {
            pkg: a._unreal_class_name()
            for pkg, a in sorted(self._state.assets.items())
            if pkg.startswith(root)
        }

    def directories(self) -> List[str]:
        """Every content folder."""
        return sorted(self._state.directories)

    def is_dirty(self, path: str) -> bool:
        """True when the asset has unsaved changes."""
        from .unreal import _assets

        return _assets.is_dirty(self.asset(path))

    def is_saved(self, path: str) -> bool:
        """True when the asset has been saved (or was seeded as saved)."""
        return bool(getattr(self.asset(path).get_outermost(), "_saved", False)) and not self.is_dirty(path)

    def actors(self) -> List[Any]:
        """Actors in the open level."""
        from .unreal import _level

        return _level.level_actors()

    def actor(self, label: str) -> Any:
        """The actor with a label; KeyError when absent."""
        for actor in self.actors():
            if actor.get_actor_label() == label:
                return actor
        raise KeyError(f"no actor labelled {label!r}; labels: {[a.get_actor_label() for a in self.actors()]}")

    def selected_actors(self) -> List[Any]:
        """The actor selection."""
        return list(self._state.selected_actors)

    @property
    def open_editors(self) -> List[str]:
        """Package names of the assets with an asset editor open, oldest first."""
        return [a.get_outermost().get_name() for a in self._state.open_editors]

    def snapshot(self, name: str) -> None:
        """Keep the project as it is under `name` (see mock_unreal.snapshots)."""
        from .snapshots import take_snapshot

        take_snapshot(name)

    def restore(self, name: str) -> None:
        """Bring back the project kept under `name`."""
        from .snapshots import restore_snapshot

        restore_snapshot(name)

    def log_lines(self, verbosity: Optional[str] = None, category: Optional[str] = None) -> List[str]:
        """Messages logged (by scripts and by the mock editor), optionally filtered."""
        from .unreal import _logging

        return [
            line.message
            for line in _logging.lines()
            if (verbosity is None or line.verbosity == verbosity)
            and (category is None or line.category == category)
        ]

    @property
    def dialogs(self) -> List[Dict[str, Any]]:
        """Every EditorDialog.show_message: title, message, message_type, answer."""
        return list(self._state.dialogs)

    @property
    def slow_tasks(self) -> List[Dict[str, Any]]:
        """Every ScopedSlowTask: total work, frames entered, progress, whether cancelled."""
        return [
            {
                "work": t._total_work,
                "description": t._description,
                "frames": list(t._frames),
                "progress": t._progress(),
                "dialog": t._dialog_shown,
                "cancelled": t._cancel_requested,
                "finished": t._finished,
            }
            for t in self._state.slow_tasks
        ]

    @property
    def screenshots(self) -> List[Dict[str, Any]]:
        """Every take_high_res_screenshot: size, file written, camera."""
        return list(self._state.screenshots)

    @property
    def saved_levels(self) -> List[str]:
        """Map packages saved with save_current_level."""
        return list(self._state.saved_levels)

    def menu_entries(self, menu: str) -> List[str]:
        """Entry names of a menu."""
        from .unreal._menus import menu_entries

        return [name for _, name, _ in menu_entries().get(menu, [])]

    def click_menu_entry(self, menu: str, name: str) -> None:
        """Run a menu entry as a click would."""
        from .unreal._menus import click, menu_entries

        for _, entry_name, entry in menu_entries().get(menu, []):
            if entry_name == name:
                click(entry)
                return
        raise KeyError(f"no entry {name!r} in menu {menu!r}")


def _wav(seconds: float, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(b"\x80" * int(seconds * rate))
    return buffer.getvalue()


def project_fixture(tmp_path: Path, seed: Optional[Union[SeedSpec, str, Path]] = None) -> Iterator[MockProject]:
    """Body of the `unreal_project` fixture: a fresh project in `tmp_path` (seeded when given), reset afterwards."""
    from .snapshots import forget_snapshots, start_from_seed

    forget_snapshots()
    start_from_seed(seed, tmp_path / "MockProject")
    try:
        yield MockProject()
    finally:
        forget_snapshots()
        reset()


def seed_from_config(config: Any) -> Optional[Path]:
    """The seed named by pytest's --unreal-seed (relative to the working directory) or ini unreal_seed."""
    given = config.getoption("unreal_seed", default=None)
    if given:
        return Path(given).resolve()
    try:
        ini = config.getini("unreal_seed")
    except ValueError:  # the plugin is disabled (-p no:mock_unreal): its ini option is not registered
        return None
    if not ini:
        return None
    base = config.inipath.parent if config.inipath is not None else config.rootpath
    return (Path(base) / ini).resolve()


try:  # the fixtures are only defined where pytest is installed (CI, dev); the mock itself needs nothing
    import pytest

    @pytest.fixture
    def unreal_seed(request: Any) -> Optional[Path]:
        """The seed file every `unreal_project` starts from (--unreal-seed); override it to seed differently."""
        return seed_from_config(request.config)

    @pytest.fixture
    def unreal_project(tmp_path: Path, unreal_seed: Optional[Path]) -> Iterator[MockProject]:
        """A fresh mock project per test in `tmp_path`, seeded from `unreal_seed`; reset afterwards."""
        yield from project_fixture(tmp_path, unreal_seed)

    __all__ += ["unreal_project", "unreal_seed"]

except ImportError:  # pragma: no cover
    pass

Checker = Callable[[MockProject, str], None]
