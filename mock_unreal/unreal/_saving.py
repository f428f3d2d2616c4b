"""EditorLoadingAndSavingUtils: dirty packages, saving them, opening and creating maps."""

from __future__ import annotations

from typing import Any, List, Optional

from . import _assets, _level
from ._containers import Array
from ._objects import Object, Package
from ._state import PROJECT


def _dirty_packages(maps: bool) -> List[Package]:
    found: List[Any] = []
    for asset in _assets.all_assets():
        package = asset.get_outermost()
        if getattr(package, "_dirty", False) and (asset._unreal_class_name() == "World") == maps:
            found.append(package)
    if maps and PROJECT.world is not None:
        package = PROJECT.world.get_outermost()
        if getattr(package, "_dirty", False) and package not in found:
            found.append(package)
    return found


def _save_package(package: Package, only_dirty: bool) -> bool:
    if PROJECT.world is not None and PROJECT.world.get_outermost() is package:
        from ._level_library import _save_current_level

        return _save_current_level()
    asset = _assets.find(package.get_name())
    return _assets.save(asset, only_dirty) if asset is not None else False


class EditorLoadingAndSavingUtils(Object):
    """Save and load packages and maps."""

    @classmethod
    def get_dirty_content_packages(cls) -> Array:
        """Packages of assets with unsaved changes."""
        return Array.cast(Package, _dirty_packages(maps=False))

    @classmethod
    def get_dirty_map_packages(cls) -> Array:
        """Map packages with unsaved changes (the open level included)."""
        return Array.cast(Package, _dirty_packages(maps=True))

    @classmethod
    def save_packages(cls, packages_to_save: Any, only_dirty: bool) -> bool:
        """Save the given packages; False if one could not be saved."""
        return all([_save_package(p, only_dirty) for p in list(packages_to_save)])

    @classmethod
    def save_dirty_packages(cls, save_map_packages: bool, save_content_packages: bool) -> bool:
        """Save every dirty map and/or content package."""
        packages: List[Package] = []
        if save_content_packages:
            packages += _dirty_packages(maps=False)
        if save_map_packages:
            packages += _dirty_packages(maps=True)
        return cls.save_packages(packages, True)

    @classmethod
    def save_current_level(cls) -> bool:
        """Save the open map."""
        from ._level_library import _save_current_level

        return _save_current_level()

    @classmethod
    def save_map(cls, world: Any, asset_path: str) -> bool:
        """Save a world as a map asset at `asset_path`."""
        from ._asset_types import World

        package, name = _assets.split_path(asset_path)
        target = _assets.find(asset_path)
        if target is None:
            target = _assets.create(World, package.rsplit("/", 1)[0], name)
            if world is PROJECT.world:
                _level.open_world(package, target)
        return _assets.save(target, only_if_is_dirty=False)

    @classmethod
    def load_map(cls, filename: str) -> Optional[Any]:
        """Open a map by package path; the World, or None."""
        from ._level_library import _load_level

        return PROJECT.world if _load_level(filename) else None

    @classmethod
    def new_blank_map(cls, save_existing_map: bool) -> Any:
        """Open a new, unsaved, empty map."""
        if save_existing_map:
            cls.save_current_level()
        return _level.open_world("/Temp/Untitled_1")
