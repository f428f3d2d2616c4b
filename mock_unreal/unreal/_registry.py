"""The asset registry: queries over AssetData by path, class, package and filter."""

from __future__ import annotations

from typing import Any, Callable, List, Set

from . import _assets
from ._asset_library import asset_data_for
from ._assetdata import AssetData, TopLevelAssetPath
from ._containers import Array, Name
from ._core import prop
from ._libraries import Interface
from ._objects import Object
from ._registry_types import type_by_name
from ._state import singleton
from ._structs import StructBase


def _names() -> Any:
    return Array(Name)


class ARFilter(StructBase):
    """A registry query: paths, packages and classes, each optionally recursive."""

    _editor_properties_ = {
        "package_names": prop(factory=_names),
        "package_paths": prop(factory=_names),
        "soft_object_paths": prop(factory=list),
        "class_paths": prop(factory=lambda: Array(TopLevelAssetPath)),
        "recursive_class_paths_exclusion_set": prop(factory=set),
        "class_names": prop(factory=_names),
        "recursive_classes_exclusion_set": prop(factory=set),
        "recursive_paths": prop(False),
        "recursive_classes": prop(False),
        "include_only_on_disk_assets": prop(False),
    }

    def __init__(
        self,
        package_names: Any = (),
        package_paths: Any = (),
        soft_object_paths: Any = (),
        class_paths: Any = (),
        recursive_class_paths_exclusion_set: Any = (),
        class_names: Any = (),
        recursive_classes_exclusion_set: Any = (),
        recursive_paths: bool = False,
        recursive_classes: bool = False,
        include_only_on_disk_assets: bool = False,
    ) -> None:
        super().__init__()
        self._props.update(
            {
                "package_names": Array.cast(Name, package_names),
                "package_paths": Array.cast(Name, package_paths),
                "soft_object_paths": list(soft_object_paths),
                "class_paths": Array.cast(TopLevelAssetPath, class_paths),
                "recursive_class_paths_exclusion_set": set(recursive_class_paths_exclusion_set),
                "class_names": Array.cast(Name, class_names),
                "recursive_classes_exclusion_set": set(recursive_classes_exclusion_set),
                "recursive_paths": recursive_paths,
                "recursive_classes": recursive_classes,
                "include_only_on_disk_assets": include_only_on_disk_assets,
            }
        )


def _class_matcher(class_path: Any, search_sub_classes: bool) -> Callable[[Object], bool]:
    wanted = type_by_name(str(class_path))
    if search_sub_classes:
        return lambda asset: isinstance(asset, wanted)
    return lambda asset: type(asset) is wanted


def _data(assets: List[Object]) -> Array:
    return Array.cast(AssetData, [asset_data_for(a) for a in assets])


def _on_disk(assets: List[Object], only_on_disk: bool) -> List[Object]:
    if not only_on_disk:
        return assets
    return [a for a in assets if getattr(a.get_outermost(), "_saved", False)]


class AssetRegistry(Interface):
    """The registry of every asset in the project; get it with AssetRegistryHelpers.get_asset_registry()."""

    def get_all_assets(self, include_only_on_disk_assets: bool = False) -> Array:
        """AssetData of every asset."""
        return _data(_on_disk(_assets.all_assets(), include_only_on_disk_assets))

    def get_assets_by_path(
        self, package_path: Any, recursive: bool = False, include_only_on_disk_assets: bool = False
    ) -> Array:
        """AssetData of the assets in a folder (and sub-folders, if recursive)."""
        return _data(_on_disk(_assets.assets_under(package_path, recursive), include_only_on_disk_assets))

    def get_assets_by_paths(
        self, package_paths: Any, recursive: bool = False, include_only_on_disk_assets: bool = False
    ) -> Array:
        """AssetData of the assets in several folders."""
        out = Array(AssetData)
        for path in package_paths:
            out.extend(self.get_assets_by_path(path, recursive, include_only_on_disk_assets))
        return out

    def get_assets_by_class(self, class_path_name: Any, search_sub_classes: bool = False) -> Array:
        """AssetData of the assets of a class, e.g. TopLevelAssetPath('/Script/Engine', 'StaticMesh')."""
        matches = _class_matcher(class_path_name, search_sub_classes)
        return _data([a for a in _assets.all_assets() if matches(a)])

    def get_assets_by_package_name(
        self,
        package_name: Any,
        include_only_on_disk_assets: bool = False,
        skip_ar_filtered_assets: bool = True,
    ) -> Array:
        """AssetData of the asset in a package."""
        asset = _assets.find(str(package_name))
        return _data(_on_disk([asset], include_only_on_disk_assets) if asset is not None else [])

    def get_asset_by_object_path(
        self, object_path: Any, include_only_on_disk_assets: bool = False
    ) -> AssetData:
        """AssetData for an object path; an invalid one when nothing is there."""
        asset = _assets.find(str(object_path))
        return asset_data_for(asset) if asset is not None else AssetData()

    def get_assets(self, filter: ARFilter, skip_ar_filtered_assets: bool = True) -> Array:
        """AssetData of the assets matching an ARFilter."""
        assets = _assets.all_assets()
        p = filter._props
        if len(p["package_paths"]):
            allowed: Set[Object] = set()
            for path in p["package_paths"]:
                allowed.update(_assets.assets_under(path, p["recursive_paths"]))
            assets = [a for a in assets if a in allowed]
        if len(p["package_names"]):
            names = {str(n).lower() for n in p["package_names"]}
            assets = [a for a in assets if _assets.package_name(a).lower() in names]
        classes = [str(c) for c in p["class_paths"]] + [str(c) for c in p["class_names"]]
        if classes:
            matchers = [_class_matcher(c, p["recursive_classes"]) for c in classes]
            assets = [a for a in assets if any(m(a) for m in matchers)]
        return _data(_on_disk(assets, p["include_only_on_disk_assets"]))

    def get_sub_paths(self, base_path: str, recurse: bool) -> Array:
        """Folders under a folder."""
        return Array.cast(str, _assets.sub_directories(base_path, recurse))

    def get_all_cached_paths(self) -> Array:
        """Every content folder."""
        from ._state import PROJECT

        return Array.cast(str, sorted(PROJECT.directories))

    def has_assets(self, package_path: Any, recursive: bool = False) -> bool:
        """True when the folder holds assets."""
        return bool(_assets.assets_under(package_path, recursive))

    def get_referencers(self, package_name: Any, reference_options: Any) -> Array:
        """Package names referring to a package, of the kinds `reference_options` asks for."""
        from ._dependencies import referencers

        return Array.cast(Name, referencers(str(package_name), reference_options))

    def get_dependencies(self, package_name: Any, dependency_options: Any) -> Array:
        """Package names a package refers to, of the kinds `dependency_options` asks for."""
        from ._dependencies import dependencies

        return Array.cast(Name, dependencies(str(package_name), dependency_options))

    def is_loading_assets(self) -> bool:
        """False: the mock's registry is always complete."""
        return False

    def search_all_assets(self, synchronous_search: bool) -> None:
        """Nothing to scan: the registry is always complete."""

    def scan_paths_synchronous(
        self, paths: Any, force_rescan: bool = False, ignore_deny_list_scan_filters: bool = False
    ) -> None:
        """Nothing to scan: the registry is always complete."""

    def wait_for_completion(self) -> None:
        """Returns at once: the registry is always complete."""


class AssetRegistryHelpers(Object):
    """Static helpers around the registry and AssetData."""

    @classmethod
    def get_asset_registry(cls) -> AssetRegistry:
        """The project's asset registry."""
        return singleton(AssetRegistry, lambda: AssetRegistry(name="AssetRegistryImpl"))

    @classmethod
    def get_asset(cls, asset_data: AssetData) -> Any:
        """The asset an AssetData describes."""
        return asset_data.get_asset()

    @classmethod
    def is_valid(cls, asset_data: AssetData) -> bool:
        """True when the AssetData names an asset."""
        return asset_data.is_valid()

    @classmethod
    def get_full_name(cls, asset_data: AssetData) -> str:  # type: ignore[override]
        """Class and object path."""
        return asset_data.get_full_name()

    @classmethod
    def create_asset_data(cls, asset: Object, allow_blueprint_class: bool = False) -> AssetData:
        """AssetData for a loaded asset."""
        return asset_data_for(asset)

    @classmethod
    def get_class(cls, asset_data: AssetData) -> Any:  # type: ignore[override]
        """The asset's class."""
        return asset_data.get_class()
