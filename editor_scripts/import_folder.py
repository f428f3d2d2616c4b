"""Import every file of some types from a folder on disk."""
from __future__ import annotations

import os
from typing import List, Optional

import unreal

DEFAULT_EXTENSIONS = [".fbx", ".obj", ".png", ".jpg", ".jpeg", ".tga", ".exr", ".wav"]


def import_folder(
    source_dir: str,
    destination: str = "/Game/Imports",
    extensions: Optional[List[str]] = None,
    recursive: bool = False,
    replace_existing: bool = True,
    save: bool = True,
) -> List[str]:
    """Import the files in a folder (meshes, textures, sounds) without dialogs; returns the new assets.

    Args:
        source_dir: folder on disk
        destination: content folder to import into; sub-folders on disk become sub-folders here
        extensions: file types to import (default .fbx .obj .png .jpg .jpeg .tga .exr .wav)
        recursive: include sub-folders on disk
        replace_existing: re-import over assets that already exist
        save: save the imported assets
    """
    if not os.path.isdir(source_dir):
        raise ValueError(f"{source_dir} is not a folder on this machine; pass an absolute path")
    wanted = {"." + ext.lower().lstrip(".") for ext in extensions or DEFAULT_EXTENSIONS}
    tasks = []
    for root, dirs, files in os.walk(source_dir):
        dirs.sort()
        relative = os.path.relpath(root, source_dir).replace(os.sep, "/")
        target = destination if relative == "." else f"{destination}/{relative}"
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() not in wanted:
                continue
            task = unreal.AssetImportTask()
            task.set_editor_property("filename", os.path.join(root, name))
            task.set_editor_property("destination_path", target)
            task.set_editor_property("automated", True)
            task.set_editor_property("replace_existing", replace_existing)
            task.set_editor_property("save", save)
            tasks.append(task)
        if not recursive:
            break
    if not tasks:
        unreal.log_warning(f"nothing to import in {source_dir} (looked for {', '.join(sorted(wanted))})")
        return []
    unreal.AssetToolsHelpers.get_asset_tools().import_asset_tasks(tasks)
    imported: List[str] = []
    for task in tasks:
        paths = list(task.get_editor_property("imported_object_paths"))
        if not paths:
            unreal.log_error(f"failed to import {task.get_editor_property('filename')}")
        imported.extend(str(path) for path in paths)
    return imported
