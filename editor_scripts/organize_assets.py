"""Move assets into one folder per asset type."""
from __future__ import annotations

from typing import Dict, List, Optional

import unreal

DEFAULT_FOLDERS: Dict[str, str] = {
    "StaticMesh": "Meshes",
    "SkeletalMesh": "Meshes",
    "Skeleton": "Meshes",
    "Texture2D": "Textures",
    "Material": "Materials",
    "MaterialInstanceConstant": "Materials",
    "Blueprint": "Blueprints",
    "SoundWave": "Audio",
    "AnimSequence": "Animations",
    "World": "Maps",
}


def organize_assets(
    source: str = "/Game/Imports",
    destination_root: str = "/Game",
    folders: Optional[Dict[str, str]] = None,
    recursive: bool = True,
    dry_run: bool = False,
) -> Dict[str, List[str]]:
    """Move each asset from a folder into <destination_root>/<type folder>, e.g. Meshes or Textures.

    Args:
        source: content folder to tidy up
        destination_root: where the type folders go
        folders: class name -> folder name, merged over the defaults; classes not listed stay put
        recursive: include sub-folders of the source
        dry_run: only report what would move
    """
    rules = {**DEFAULT_FOLDERS, **(folders or {})}
    moved: Dict[str, List[str]] = {}
    for path in unreal.EditorAssetLibrary.list_assets(source, recursive=recursive, include_folder=False):
        data = unreal.EditorAssetLibrary.find_asset_data(path)
        folder = rules.get(str(data.asset_class_path.asset_name))
        if folder is None:
            continue
        target_dir = f"{destination_root.rstrip('/')}/{folder}"
        if str(data.package_path) == target_dir:
            continue
        target = f"{target_dir}/{data.asset_name}"
        if unreal.EditorAssetLibrary.does_asset_exist(target):
            unreal.log_warning(f"not moving {data.package_name}: {target} already exists")
            continue
        if not dry_run:
            if not unreal.EditorAssetLibrary.does_directory_exist(target_dir):
                unreal.EditorAssetLibrary.make_directory(target_dir)
            if not unreal.EditorAssetLibrary.rename_asset(str(data.package_name), target):
                unreal.log_error(f"could not move {data.package_name} to {target}")
                continue
        moved.setdefault(folder, []).append(target)
    return moved
