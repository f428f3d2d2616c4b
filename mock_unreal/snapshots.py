"""Clean state for CI: the project a host starts from (its seed), and named snapshots to go back to.

Everything here changes the mock editor's state, so on a headless host it runs on the game thread
(the bridge's /api/v1/mock/* routes queue it there). Files on disk (saved packages, screenshots) are
left alone: a reset or a restore brings back what the editor holds in memory.
"""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from .testing import MockProject, SeedSpec, reset

__all__ = [
    "SeedError",
    "SnapshotNotFound",
    "describe",
    "load_seed",
    "reset_to_seed",
    "restore_snapshot",
    "snapshot_names",
    "start_from_seed",
    "take_snapshot",
]


class SeedError(ValueError):
    """A seed file that cannot be read or does not describe a project."""


class SnapshotNotFound(KeyError):
    """No snapshot of that name was taken."""

    def __str__(self) -> str:
        return str(self.args[0])


class _Saved:
    """One copy of the project: its state and the counters that name new objects."""

    def __init__(self, project: Any, counters: Dict[str, int]) -> None:
        self.project = project
        self.counters = counters


_seed: Dict[str, Any] = {"spec": None, "source": None}
_snapshots: Dict[str, _Saved] = {}


def load_seed(path: Union[str, Path]) -> SeedSpec:
    """A seed from a .json, .yaml or .yml file; SeedError says what is wrong with it."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"cannot read the seed file {source}: {exc.strerror}") from None
    try:
        if source.suffix.lower() in (".yaml", ".yml"):
            import yaml

            spec = yaml.safe_load(text) or {}
        else:
            spec = json.loads(text)
    except ValueError as exc:  # json.JSONDecodeError and yaml.YAMLError's parse errors
        raise SeedError(f"the seed file {source} is not valid {source.suffix.lstrip('.') or 'JSON'}: {exc}") from None
    except Exception as exc:  # yaml.YAMLError is not a ValueError
        raise SeedError(f"the seed file {source} is not valid YAML: {exc}") from None
    if not isinstance(spec, dict):
        raise SeedError(f"the seed file {source} must hold an object (assets, level, actors...), "
                        f"got {type(spec).__name__}")
    return spec


def start_from_seed(seed: Optional[Union[SeedSpec, str, Path]], project_dir: Optional[Path] = None) -> Dict[str, Any]:
    """Remember `seed` (a spec or a file) as the state reset returns to, and start from it.

    `project_dir`: the project folder to start in; by default the one the mock has now.
    """
    from .unreal import _state

    if project_dir is None:
        project_dir = _state.PROJECT.project_dir
    source: Optional[str] = None
    if isinstance(seed, (str, Path)):
        source = str(seed)
        seed = load_seed(seed)
    spec = copy.deepcopy(seed) if seed is not None else None
    _seed.update(spec=spec, source=source)
    try:
        return _apply_seed(project_dir)
    except Exception as exc:
        _seed.update(spec=None, source=None)
        reset(project_dir)
        raise SeedError(f"the seed {source or ''} does not describe a project: {type(exc).__name__}: {exc}") from None


def reset_to_seed() -> Dict[str, Any]:
    """Back to the seed the host started from (an empty project when it had none); snapshots are kept."""
    from .unreal import _state

    return _apply_seed(_state.PROJECT.project_dir)


def _apply_seed(project_dir: Optional[Path]) -> Dict[str, Any]:
    reset(project_dir)
    if _seed["spec"] is not None:
        MockProject().seed(copy.deepcopy(_seed["spec"]))
    return describe()


def take_snapshot(name: str) -> Dict[str, Any]:
    """Keep the project as it is now under `name` (replacing an older snapshot of that name)."""
    from .unreal import _objects, _state

    _snapshots[name] = _Saved(_copy_project(_state.PROJECT), _peek_counters(_objects._counters))
    return describe()


def restore_snapshot(name: str) -> Dict[str, Any]:
    """Bring back the project kept under `name`; SnapshotNotFound names the snapshots there are."""
    from .unreal import _objects, _state

    saved = _snapshots.get(name)
    if saved is None:
        known = ", ".join(sorted(_snapshots)) or "none yet"
        raise SnapshotNotFound(f"no snapshot named {name!r}; snapshots: {known}")
    copied = _copy_project(saved.project)  # the snapshot stays as taken: it can be restored again
    vars(_state.PROJECT).update(vars(copied))
    _objects._counters.clear()
    _objects._counters.update({k: itertools.count(v) for k, v in saved.counters.items()})
    return describe()


def snapshot_names() -> List[str]:
    """The snapshots taken so far."""
    return sorted(_snapshots)


def forget_snapshots() -> None:
    """Drop every snapshot and the seed (a test's clean slate)."""
    _snapshots.clear()
    _seed.update(spec=None, source=None)


def describe() -> Dict[str, Any]:
    """What the project holds now, in a few figures a CI log can show."""
    from .unreal import _state

    project = _state.PROJECT
    world = project.world
    return {
        "seed": _seed["source"] if _seed["source"] is not None else ("inline" if _seed["spec"] is not None else None),
        "assets": len(project.assets),
        "actors": len(world._actors) if world is not None else 0,
        "level": world.get_outermost().get_name() if world is not None else None,
        "selected_assets": [a.get_outermost().get_name() for a in project.selected_assets],
        "selected_actors": [a.get_actor_label() for a in project.selected_actors],
        "snapshots": snapshot_names(),
    }


def _copy_project(project: Any) -> Any:
    """A deep copy that shares what belongs to the engine, not the project: classes and script packages."""
    from .unreal import _objects

    memo: Dict[int, Any] = {}
    shared: List[Any] = [*_objects._classes.values(), *_objects._script_packages.values(),
                         *_objects._transient.values()]
    for obj in shared:
        memo[id(obj)] = obj
    return copy.deepcopy(project, memo)


def _peek_counters(counters: Dict[str, Any]) -> Dict[str, int]:
    """The next number of each name counter, leaving the counters where they were."""
    peeked = {}
    for name, counter in counters.items():
        value = next(counter)
        counters[name] = itertools.count(value)
        peeked[name] = value
    return peeked
