"""EditorAssetLibrary (classmethods) and EditorAssetSubsystem (instance methods): one implementation."""

from __future__ import annotations

import inspect
from typing import Any, Callable, Dict, List, Optional

from . import _assets
from ._assetdata import AssetData
from ._containers import Array, Map, Name
from ._objects import Object
from ._state import PROJECT


def asset_data_for(asset: Object) -> AssetData:
    """The registry's view of a loaded asset."""
    from ._assetdata import TopLevelAssetPath

    cls = asset.get_class()
    package = _assets.package_name(asset)
    return AssetData(
        package,
        package.rsplit("/", 1)[0],
        asset.get_name(),
        TopLevelAssetPath(cls.get_outer().get_name(), cls.get_name()),  # type: ignore[union-attr]
    )


class _AssetOps:
    """The operations, written once; the two public classes wrap them with the real call style."""

    @staticmethod
    def does_asset_exist(asset_path: str) -> bool:
        """True when an asset lives at the path."""
        return _assets.find(asset_path) is not None

    @staticmethod
    def do_assets_exist(asset_paths: Any) -> bool:
        """True when every path names an asset."""
        return all(_assets.find(p) is not None for p in asset_paths)

    @staticmethod
    def does_directory_exist(directory_path: str) -> bool:
        """True when the content folder exists."""
        return _assets.directory_exists(directory_path)

    @staticmethod
    def does_directory_have_assets(directory_path: str, recursive: bool = True) -> bool:
        """True when the folder (or a sub-folder, if recursive) holds an asset."""
        return bool(_assets.assets_under(directory_path, recursive))

    @staticmethod
    def make_directory(directory_path: str) -> bool:
        """Create a content folder (and its parents)."""
        _assets.add_directory(directory_path)
        return True

    @staticmethod
    def delete_directory(directory_path: str) -> bool:
        """Delete a folder, its sub-folders and every asset inside."""
        root = _assets.normalize_dir(directory_path)
        if not _assets.directory_exists(root):
            _assets.log_missing("DeleteDirectory", directory_path)
            return False
        for asset in _assets.assets_under(root, recursive=True):
            _assets.delete(asset)
        PROJECT.directories = {d for d in PROJECT.directories if d != root and not d.startswith(root + "/")}
        return True

    @staticmethod
    def list_assets(directory_path: str, recursive: bool = True, include_folder: bool = False) -> Array:
        """Object paths of the assets under a folder."""
        if not _assets.directory_exists(directory_path):
            return Array(str)
        return Array.cast(str, _assets.list_assets(directory_path, recursive, include_folder))

    @staticmethod
    def load_asset(asset_path: str) -> Optional[Object]:
        """The asset, or None (with an error in the log) when it does not exist."""
        asset = _assets.find(asset_path)
        if asset is None:
            _assets.log_missing("LoadAsset", asset_path)
        return asset

    @staticmethod
    def load_blueprint_class(asset_path: str) -> Any:
        """The class a blueprint asset generates."""
        asset = _assets.find(asset_path)
        if asset is None or not hasattr(asset, "generated_class"):
            _assets.log_missing("LoadBlueprintClass", asset_path)
            return None
        return asset.generated_class()

    @staticmethod
    def find_asset_data(asset_path: str) -> AssetData:
        """The asset's AssetData; an invalid one when it does not exist."""
        asset = _assets.find(asset_path)
        return asset_data_for(asset) if asset is not None else AssetData()

    @staticmethod
    def get_path_name_for_loaded_asset(loaded_asset: Object) -> str:
        """The object path of a loaded asset."""
        return loaded_asset.get_path_name()

    @staticmethod
    def save_asset(asset_to_save: str, only_if_is_dirty: bool = True) -> bool:
        """Save the package at a path."""
        asset = _assets.find(asset_to_save)
        if asset is None:
            _assets.log_missing("SaveAsset", asset_to_save)
            return False
        return _assets.save(asset, only_if_is_dirty)

    @staticmethod
    def save_loaded_asset(asset_to_save: Object, only_if_is_dirty: bool = True) -> bool:
        """Save a loaded asset's package."""
        if asset_to_save is None or _assets.find(asset_to_save.get_path_name()) is not asset_to_save:
            _assets.log_missing("SaveLoadedAsset", asset_to_save)
            return False
        return _assets.save(asset_to_save, only_if_is_dirty)

    @staticmethod
    def save_loaded_assets(assets_to_save: Any, only_if_is_dirty: bool = True) -> bool:
        """Save several loaded assets."""
        return all([_AssetOps.save_loaded_asset(a, only_if_is_dirty) for a in assets_to_save])

    @staticmethod
    def save_directory(directory_path: str, only_if_is_dirty: bool = True, recursive: bool = True) -> bool:
        """Save every asset under a folder."""
        for asset in _assets.assets_under(directory_path, recursive):
            _assets.save(asset, only_if_is_dirty)
        return True

    @staticmethod
    def duplicate_asset(source_asset_path: str, destination_asset_path: str) -> Optional[Object]:
        """Copy an asset to a new path; None if the source is missing or the target taken."""
        source = _assets.find(source_asset_path)
        if source is None:
            _assets.log_missing("DuplicateAsset", source_asset_path)
            return None
        return _AssetOps.duplicate_loaded_asset(source, destination_asset_path)

    @staticmethod
    def duplicate_loaded_asset(source_asset: Object, destination_asset_path: str) -> Optional[Object]:
        """Copy a loaded asset to a new path."""
        if _assets.find(destination_asset_path) is not None:
            _log_exists("DuplicateAsset", destination_asset_path)
            return None
        return _assets.duplicate(source_asset, destination_asset_path)

    @staticmethod
    def duplicate_directory(source_directory_path: str, destination_directory_path: str) -> Array:
        """Copy every asset of a folder; returns the new object paths."""
        src = _assets.normalize_dir(source_directory_path)
        dst = _assets.normalize_dir(destination_directory_path)
        out = Array(str)
        for asset in _assets.assets_under(src, recursive=True):
            package = _assets.package_name(asset)
            clone = _assets.duplicate(asset, dst + package[len(src) :])
            out.append(clone.get_path_name())
        _assets.add_directory(dst)
        return out

    @staticmethod
    def rename_asset(source_asset_path: str, destination_asset_path: str) -> bool:
        """Move or rename an asset; references follow it."""
        source = _assets.find(source_asset_path)
        if source is None:
            _assets.log_missing("RenameAsset", source_asset_path)
            return False
        return _AssetOps.rename_loaded_asset(source, destination_asset_path)

    @staticmethod
    def rename_loaded_asset(source_asset: Object, destination_asset_path: str) -> bool:
        """Move or rename a loaded asset."""
        if _assets.find(destination_asset_path) is not None:
            _log_exists("RenameAsset", destination_asset_path)
            return False
        _assets.move(source_asset, destination_asset_path)
        return True

    @staticmethod
    def rename_directory(source_directory_path: str, destination_directory_path: str) -> bool:
        """Move every asset of a folder to another folder."""
        src = _assets.normalize_dir(source_directory_path)
        dst = _assets.normalize_dir(destination_directory_path)
        if not _assets.directory_exists(src):
            _assets.log_missing("RenameDirectory", source_directory_path)
            return False
        for asset in _assets.assets_under(src, recursive=True):
            package = _assets.package_name(asset)
            _assets.move(asset, dst + package[len(src) :])
        PROJECT.directories = {
            dst + d[len(src) :] if d == src or d.startswith(src + "/") else d for d in PROJECT.directories
        }
        _assets.add_directory(dst)
        return True

    @staticmethod
    def delete_asset(asset_path_to_delete: str) -> bool:
        """Delete the asset at a path."""
        asset = _assets.find(asset_path_to_delete)
        if asset is None:
            _assets.log_missing("DeleteAsset", asset_path_to_delete)
            return False
        _assets.delete(asset)
        return True

    @staticmethod
    def delete_loaded_asset(asset_to_delete: Object) -> bool:
        """Delete a loaded asset."""
        _assets.delete(asset_to_delete)
        return True

    @staticmethod
    def delete_loaded_assets(assets_to_delete: Any) -> bool:
        """Delete several loaded assets."""
        for asset in list(assets_to_delete):
            _assets.delete(asset)
        return True

    @staticmethod
    def consolidate_assets(asset_to_consolidate_to: Object, assets_to_consolidate: Any) -> bool:
        """Point every reference to `assets_to_consolidate` at `asset_to_consolidate_to`, then delete them."""
        for asset in list(assets_to_consolidate):
            if asset is asset_to_consolidate_to:
                continue
            if type(asset) is not type(asset_to_consolidate_to):
                from ._logging import editor_log

                editor_log(
                    "LogEditorAssetSubsystem",
                    "Error",
                    f"ConsolidateAssets failed: '{asset.get_path_name()}' is not of the same class as "
                    f"'{asset_to_consolidate_to.get_path_name()}'.",
                )
                return False
        for asset in list(assets_to_consolidate):
            if asset is not asset_to_consolidate_to:
                _assets.replace_references(asset, asset_to_consolidate_to)
                _assets.delete(asset)
        return True

    @staticmethod
    def find_package_referencers_for_asset(asset_path: str, load_assets_to_confirm: bool = False) -> Array:
        """Package names that refer to the asset."""
        asset = _assets.find(asset_path)
        if asset is None:
            _assets.log_missing("FindPackageReferencersForAsset", asset_path)
            return Array(str)
        return Array.cast(str, _assets.referencers_of(_assets.package_name(asset)))

    @staticmethod
    def set_metadata_tag(object: Object, tag: Any, value: str) -> None:
        """Set a metadata tag on a loaded asset."""
        _metadata(object)[str(tag)] = str(value)
        object.modify()

    @staticmethod
    def get_metadata_tag(object: Object, tag: Any) -> str:
        """A metadata tag's value, or ''."""
        return _metadata(object).get(str(tag), "")

    @staticmethod
    def remove_metadata_tag(object: Object, tag: Any) -> None:
        """Remove a metadata tag."""
        if _metadata(object).pop(str(tag), None) is not None:
            object.modify()

    @staticmethod
    def get_metadata_tag_values(object: Object) -> Map:
        """Every metadata tag of the asset."""
        return Map.cast(Name, str, {Name(k): v for k, v in _metadata(object).items()})

    @staticmethod
    def get_tag_values(asset_path: str) -> Map:
        """The registry tags of an asset (its metadata tags, in the mock)."""
        asset = _assets.find(asset_path)
        tags = _metadata(asset) if asset is not None else {}
        return Map.cast(Name, str, {Name(k): v for k, v in tags.items()})

    @staticmethod
    def list_asset_by_tag_value(tag_name: Any, tag_value: str) -> Array:
        """AssetData of every asset whose metadata tag has the value."""
        found = [
            asset_data_for(a) for a in _assets.all_assets() if _metadata(a).get(str(tag_name)) == tag_value
        ]
        return Array.cast(AssetData, found)

    @staticmethod
    def checkout_asset(asset_to_checkout: str) -> bool:
        """No source control in the mock: always succeeds."""
        return _assets.find(asset_to_checkout) is not None

    @staticmethod
    def checkout_loaded_asset(asset_to_checkout: Object) -> bool:
        """No source control in the mock: always succeeds."""
        return True

    @staticmethod
    def sync_browser_to_objects(asset_paths: Any) -> None:
        """Select the assets in the content browser."""
        PROJECT.selected_assets = [a for a in (_assets.find(p) for p in asset_paths) if a is not None]


def _metadata(asset: Any) -> Dict[str, str]:
    if "_metadata" not in vars(asset):
        object.__setattr__(asset, "_metadata", {})
    return vars(asset)["_metadata"]


def _log_exists(function: str, path: str) -> None:
    from ._logging import editor_log

    editor_log("LogEditorAssetSubsystem", "Error", f"{function} failed: An asset already exists at '{path}'.")


def _wrap(fn: Callable[..., Any], first: str) -> Callable[..., Any]:
    sig = inspect.signature(fn)
    leading = inspect.Parameter(first, inspect.Parameter.POSITIONAL_OR_KEYWORD)

    def method(_owner: Any, *args: Any, **kwargs: Any) -> Any:
        sig.bind(*args, **kwargs)  # the real signature's errors, not the wrapper's
        return fn(*args, **kwargs)

    method.__signature__ = sig.replace(parameters=[leading, *sig.parameters.values()])  # type: ignore[attr-defined]
    method.__name__ = method.__qualname__ = fn.__name__
    method.__doc__ = fn.__doc__
    return method


def _build(names: List[str], first: str, renames: Dict[str, str]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for name in names:
        impl = getattr(_AssetOps, renames.get(name, name))
        wrapped = _wrap(impl, first)
        wrapped.__name__ = name
        out[name] = classmethod(wrapped) if first == "cls" else wrapped
    return out


_OPERATIONS = [n for n in vars(_AssetOps) if not n.startswith("_")]
LIBRARY_METHODS = _build(_OPERATIONS, "cls", {})
SUBSYSTEM_METHODS = _build(
    [
        n
        for n in _OPERATIONS
        if n not in ("does_directory_have_assets", "list_asset_by_tag_value", "sync_browser_to_objects")
    ]
    + ["does_directory_contain_assets", "list_assets_by_tag_value"],
    "self",
    {
        "does_directory_contain_assets": "does_directory_have_assets",
        "list_assets_by_tag_value": "list_asset_by_tag_value",
    },
)
