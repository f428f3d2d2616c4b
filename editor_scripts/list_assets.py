"""List and filter assets under a content folder."""
from __future__ import annotations

from typing import Dict, List, Optional

import unreal


def list_assets(
    directory: str = "/Game",
    class_names: Optional[List[str]] = None,
    name_contains: Optional[str] = None,
    recursive: bool = True,
    limit: int = 1000,
) -> List[Dict[str, str]]:
    """List assets in a folder, optionally only some classes or names, without loading them.

    Args:
        directory: content folder to search, e.g. /Game/Props
        class_names: only these classes, e.g. ["StaticMesh", "Texture2D"]
        name_contains: only assets whose name contains this text (case-insensitive)
        recursive: include sub-folders
        limit: stop after this many assets
    """
    if not unreal.EditorAssetLibrary.does_directory_exist(directory):
        raise ValueError(f"content folder {directory} does not exist; check the path (it starts with /Game)")
    registry = unreal.AssetRegistryHelpers.get_asset_registry()
    wanted = {name.lower() for name in class_names or []}
    needle = (name_contains or "").lower()
    found: List[Dict[str, str]] = []
    for data in registry.get_assets_by_path(directory, recursive=recursive):
        class_name = str(data.asset_class_path.asset_name)
        name = str(data.asset_name)
        if wanted and class_name.lower() not in wanted:
            continue
        if needle and needle not in name.lower():
            continue
        found.append({
            "name": name,
            "path": f"{data.package_name}.{name}",
            "folder": str(data.package_path),
            "class": class_name,
        })
    found.sort(key=lambda item: item["path"])
    return found[:limit]
