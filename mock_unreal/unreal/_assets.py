"""The content browser's state: assets by package, directories, saving, references."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

from . import _logging
from ._containers import Array
from ._objects import Object, Package
from ._state import PROJECT
from ._structs import StructBase


def split_path(path: Any) -> Tuple[str, str]:
    """(package name, asset name) from `/Game/A/B`, `/Game/A/B.B` or `StaticMesh'/Game/A/B.B'`."""
    text = str(path).strip()
    if "'" in text:
        text = text.split("'")[1]
    if " " in text:  # a full name: "StaticMesh /Game/A/B.B"
        text = text.split(" ", 1)[1]
    text = text.split(":", 1)[0].rstrip("/")
    if "." in text.rsplit("/", 1)[-1]:
        package, name = text.rsplit(".", 1)
    else:
        package, name = text, text.rsplit("/", 1)[-1]
    return package, name


def normalize_dir(path: Any) -> str:
    """`/Game/A/` and `/Game/A` both become `/Game/A`."""
    text = str(path).strip().rstrip("/")
    return text or "/"


def package_name(asset: Object) -> str:
    return str(asset.get_outermost().get_name())


def find(path: Any) -> Optional[Object]:
    """The asset at `path`, or None."""
    package, name = split_path(path)
    asset = PROJECT.assets.get(package)
    if asset is None or asset.get_name().lower() != name.lower():
        return None
    return asset


def all_assets() -> List[Object]:
    return list(PROJECT.assets.values())


def _parent_dirs(directory: str) -> Iterator[str]:
    parts = directory.strip("/").split("/")
    for i in range(1, len(parts) + 1):
        yield "/" + "/".join(parts[:i])


def add_directory(directory: Any) -> None:
    for parent in _parent_dirs(normalize_dir(directory)):
        PROJECT.directories.add(parent)


def directory_exists(directory: Any) -> bool:
    return normalize_dir(directory) in PROJECT.directories


def create(asset_type: type, package_path: Any, asset_name: str, dirty: bool = True) -> Object:
    """Make a new asset of `asset_type` at `package_path/asset_name` and register it."""
    directory = normalize_dir(package_path)
    package = Package(name=f"{directory}/{asset_name}")
    asset = asset_type(outer=package, name=asset_name)
    object.__setattr__(package, "_dirty", dirty)
    object.__setattr__(asset, "_metadata", {})
    add_directory(directory)
    PROJECT.assets[package.get_name()] = asset
    return asset


def move(asset: Object, destination: Any) -> None:
    """Give `asset` a new package and name (rename or move)."""
    new_package, new_name = split_path(destination)
    old_file = _content_file(asset)
    PROJECT.assets.pop(package_name(asset), None)
    package = asset.get_outermost()
    object.__setattr__(package, "_name", new_package)
    object.__setattr__(asset, "_name", new_name)
    object.__setattr__(package, "_dirty", True)
    add_directory(new_package.rsplit("/", 1)[0])
    PROJECT.assets[new_package] = asset
    if old_file is not None and old_file.exists():
        old_file.unlink()  # the package left that path; it is dirty and saves to the new one


def duplicate(asset: Object, destination: Any) -> Object:
    """A copy of `asset` at `destination`, with its own copies of struct and array values and of its sub-objects."""
    new_package, new_name = split_path(destination)
    clone = create(type(asset), new_package.rsplit("/", 1)[0], new_name)
    _copy_into(asset, clone, {asset: clone})
    return clone


def _copy_into(source: Object, target: Object, copies: Dict[Any, Object]) -> None:
    for key, value in source._props.items():
        target._props[key] = _copy_value(value)
    for attr in ("_metadata", *type(source)._all_copied_state_):
        if attr in vars(source):
            object.__setattr__(target, attr, _copy_state(vars(source)[attr], copies))


def _copy_state(value: Any, copies: Dict[Any, Object]) -> Any:
    """A shallow copy of private state, except that objects inside a copied object are copied too.

    A material's nodes live inside it: shared with the copy, editing the copy's graph would edit the original's.
    """
    if isinstance(value, list):
        return [_copy_member(v, copies) for v in value]
    if isinstance(value, dict):
        return {k: _copy_member(v, copies) for k, v in value.items()}
    return copy.copy(value)


def _copy_member(value: Any, copies: Dict[Any, Object]) -> Any:
    if isinstance(value, tuple):  # a connection: (node, output name)
        return tuple(_copy_member(v, copies) for v in value)
    if not isinstance(value, Object) or value.get_outer() not in copies:
        return value
    found = copies.get(value)
    if found is None:
        found = copies[value] = type(value)(outer=copies[value.get_outer()], name=value.get_name())
        _copy_into(value, found, copies)
    return found


def _copy_value(value: Any) -> Any:
    if isinstance(value, (Array, StructBase)):
        return copy.copy(value)
    if isinstance(value, list):
        return list(value)
    return value


def delete(asset: Object) -> None:
    """Remove `asset` and its file on disk."""
    name = package_name(asset)
    PROJECT.assets.pop(name, None)
    PROJECT.selected_assets = [a for a in PROJECT.selected_assets if a is not asset]
    path = _content_file(asset)
    if path is not None and path.exists():
        path.unlink()


def is_dirty(asset: Object) -> bool:
    return bool(getattr(asset.get_outermost(), "_dirty", False))


def save(asset: Object, only_if_is_dirty: bool = True) -> bool:
    """Write the asset's package to `Content/...uasset` (a JSON summary) and clear its dirty flag."""
    package = asset.get_outermost()
    if only_if_is_dirty and not getattr(package, "_dirty", False):
        return True
    path = _content_file(asset)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        summary = {
            "class": asset._unreal_class_name(),
            "name": asset.get_name(),
            "properties": {k: repr(v) for k, v in asset._props.items()},
        }
        path.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    object.__setattr__(package, "_dirty", False)
    object.__setattr__(package, "_saved", True)
    return True


def _content_file(asset: Object) -> Optional[Path]:
    """`/Game/A/B` maps to `<project>/Content/A/B.uasset` (`.umap` for a map); other mount points are not on disk."""
    package = package_name(asset)
    if not package.startswith("/Game/"):
        return None
    from ._system import project_root

    # Judged from the asset, not from PROJECT.assets: delete() asks once the asset is unregistered.
    suffix = ".umap" if asset._unreal_class_name() == "World" else ".uasset"
    return project_root() / "Content" / (package[len("/Game/") :] + suffix)


def assets_under(directory: Any, recursive: bool = True) -> List[Object]:
    """The assets in `directory` (and its sub-folders when `recursive`), by package name."""
    root = normalize_dir(directory)
    out: List[Object] = []
    for package, asset in sorted(PROJECT.assets.items()):
        parent = package.rsplit("/", 1)[0]
        if parent == root or (recursive and parent.startswith(root + "/")):
            out.append(asset)
    return out


def sub_directories(directory: Any, recursive: bool) -> List[str]:
    """The folders inside `directory` (at any depth when `recursive`), sorted."""
    root = normalize_dir(directory)
    return [
        d for d in sorted(PROJECT.directories)
        if d.startswith(root + "/") and (recursive or d.rsplit("/", 1)[0] == root)
    ]


def list_assets(directory: Any, recursive: bool = True, include_folder: bool = False) -> List[str]:
    """Object paths under `directory` (and sub-folders `/Game/A/B/` when `include_folder`)."""
    out = [asset.get_path_name() for asset in assets_under(directory, recursive)]
    if include_folder:
        out += [d + "/" for d in sub_directories(directory, recursive)]
    return out


def references_of(asset: Object) -> Set[str]:
    """Packages `asset` refers to through its properties (materials, textures, parents...)."""
    found: Set[str] = set()
    own = package_name(asset)
    for value in _walk(asset._props.values(), depth=0):
        if isinstance(value, Object) and value.get_outermost().get_name() in PROJECT.assets:
            pkg = value.get_outermost().get_name()
            if pkg != own:
                found.add(pkg)
    for table in _owned_tables(asset):
        for value in table.values():
            if isinstance(value, Object) and package_name(value) in PROJECT.assets:
                found.add(package_name(value))
    found |= PROJECT.extra_references.get(own, set())
    found |= PROJECT.soft_references.get(own, set())
    parent_class = vars(asset).get("_parent_class")
    blueprint = getattr(parent_class, "_blueprint_", None)
    if blueprint is not None:
        found.add(package_name(blueprint))
    return found


def _walk(values: Any, depth: int) -> Iterator[Any]:
    if depth > 4:
        return
    for value in values:
        yield value
        if isinstance(value, (list, tuple, Array)):
            yield from _walk(list(value), depth + 1)
        elif isinstance(value, StructBase):
            yield from _walk(value._props.values(), depth + 1)
        elif isinstance(value, Object) and value.get_outermost().get_name() not in PROJECT.assets:
            yield from _walk(value._props.values(), depth + 1)  # sub-objects such as components


def referencers_of(package: str) -> List[str]:
    """Packages that refer to `package`: other assets and the level when its actors use it."""
    out = []
    for other, asset in sorted(PROJECT.assets.items()):
        if other != package and package in references_of(asset):
            out.append(other)
    from ._level import level_references

    for level_package in level_references(package):
        if level_package not in out:
            out.append(level_package)
    return out


def replace_references(old: Object, new: Object) -> None:
    """Point every property that held `old` at `new` (what consolidation does)."""
    from ._level import all_actor_objects

    holders: List[Any] = list(PROJECT.assets.values()) + all_actor_objects()
    for holder in holders:
        _replace_in(holder, old, new, 0)


def _replace_in(holder: Any, old: Object, new: Object, depth: int) -> None:
    if depth > 4:
        return
    props: Dict[str, Any] = holder._props
    for key, value in props.items():
        if value is old:
            props[key] = new
            if isinstance(holder, Object):
                holder.modify()
        elif isinstance(value, Array):
            for i, item in enumerate(value):
                if item is old:
                    value[i] = new
                elif isinstance(item, StructBase):
                    _replace_in(item, old, new, depth + 1)
        elif isinstance(value, StructBase) or (
            isinstance(value, Object)
            and value is not holder
            and value.get_outermost().get_name() not in PROJECT.assets
        ):
            _replace_in(value, old, new, depth + 1)
    for table in _owned_tables(holder):
        for k, v in list(table.items()):
            if v is old:
                table[k] = new


def _owned_tables(holder: Any) -> Iterator[Dict[Any, Any]]:
    """The dicts among a holder's copied state (parameter overrides...), where it may keep asset references."""
    for attr in type(holder)._all_copied_state_:
        table = vars(holder).get(attr)
        if isinstance(table, dict):
            yield table


def log_missing(function: str, path: Any) -> None:
    """The error line the editor writes when a script names an asset that does not exist."""
    _logging.editor_log(
        "LogEditorAssetSubsystem", "Error", f"{function} failed: The asset '{path}' could not be found."
    )
