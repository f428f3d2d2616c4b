"""Find assets nothing references, and optionally move them to an archive folder."""
from __future__ import annotations

from typing import Dict, List, Optional

import unreal


def unused_assets(
    directory: str = "/Game",
    archive_to: Optional[str] = None,
    exclude_classes: Optional[List[str]] = None,
    recursive: bool = True,
) -> Dict[str, List[str]]:
    """Report assets no other package references; with archive_to, move them there for review.

    Maps (World) and the classes in exclude_classes are never reported: nothing references a
    level, yet it is not unused.

    Args:
        directory: content folder to check
        archive_to: move the unused assets into this folder (keeping sub-folders); omit to only report
        exclude_classes: classes to skip besides World, e.g. ["Blueprint"]
        recursive: include sub-folders
    """
    skip = {"World", *(exclude_classes or [])}
    unused: List[str] = []
    for path in unreal.EditorAssetLibrary.list_assets(directory, recursive=recursive, include_folder=False):
        data = unreal.EditorAssetLibrary.find_asset_data(path)
        if str(data.asset_class_path.asset_name) in skip:
            continue
        package = str(data.package_name)
        if archive_to and package.startswith(archive_to.rstrip("/") + "/"):
            continue  # already archived
        referencers = unreal.EditorAssetLibrary.find_package_referencers_for_asset(package, False)
        if not [ref for ref in referencers if str(ref) != package]:
            unused.append(package)
    archived: List[str] = []
    if archive_to:
        root = directory.rstrip("/")
        for package in unused:
            target = archive_to.rstrip("/") + package[len(root):]
            if unreal.EditorAssetLibrary.does_asset_exist(target):
                unreal.log_warning(f"not archiving {package}: {target} already exists")
                continue
            if unreal.EditorAssetLibrary.rename_asset(package, target):
                archived.append(target)
            else:
                unreal.log_error(f"could not archive {package} to {target}")
    for package in unused:
        unreal.log(f"unused: {package}")
    return {"unused": unused, "archived": archived}
