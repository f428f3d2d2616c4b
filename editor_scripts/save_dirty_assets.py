"""Save every modified asset in a folder, and the modified levels if asked."""
from __future__ import annotations

from typing import Dict, List, Union

import unreal


def save_dirty_assets(
    directory: str = "/Game", include_levels: bool = True
) -> Dict[str, Union[bool, List[str]]]:
    """Save the packages with unsaved changes under a folder, without any dialog.

    Args:
        directory: content folder whose modified assets are saved
        include_levels: also save the modified levels under that folder
    """
    root = directory.rstrip("/") + "/"
    packages = list(unreal.EditorLoadingAndSavingUtils.get_dirty_content_packages())
    if include_levels:
        packages += list(unreal.EditorLoadingAndSavingUtils.get_dirty_map_packages())
    wanted = [package for package in packages if package.get_name().startswith(root)]
    if not wanted:
        return {"saved": [], "success": True}
    success = bool(unreal.EditorLoadingAndSavingUtils.save_packages(wanted, True))
    if not success:
        unreal.log_error(f"some packages under {directory} could not be saved (read-only or checked out?)")
    return {"saved": sorted(package.get_name() for package in wanted), "success": success}
