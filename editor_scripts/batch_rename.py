"""Give assets the prefix their class calls for (SM_, T_, M_, ...)."""
from __future__ import annotations

from typing import Dict, List, Optional

import unreal

from editor_scripts._naming import DEFAULT_PREFIXES


def batch_rename(
    directory: str = "/Game",
    prefixes: Optional[Dict[str, str]] = None,
    recursive: bool = True,
    dry_run: bool = False,
) -> List[Dict[str, str]]:
    """Prefix every asset in a folder by its class; assets already prefixed are left alone.

    Args:
        directory: content folder to rename in
        prefixes: class name -> prefix, merged over the defaults (SM_, SK_, T_, M_, MI_, BP_, ...)
        recursive: include sub-folders
        dry_run: only report what would be renamed
    """
    rules = {**DEFAULT_PREFIXES, **(prefixes or {})}
    paths = list(unreal.EditorAssetLibrary.list_assets(directory, recursive=recursive, include_folder=False))
    renamed: List[Dict[str, str]] = []
    with unreal.ScopedSlowTask(len(paths), f"Renaming assets in {directory}") as task:
        task.make_dialog(True)
        for path in paths:
            if task.should_cancel():
                unreal.log_warning("batch_rename cancelled; the assets renamed so far keep their new names")
                break
            task.enter_progress_frame(1, path)
            data = unreal.EditorAssetLibrary.find_asset_data(path)
            prefix = rules.get(str(data.asset_class_path.asset_name))
            name = str(data.asset_name)
            if not prefix or name.startswith(prefix):
                continue
            new_name = prefix + _strip_wrong_prefix(name, rules)
            new_path = f"{data.package_path}/{new_name}"
            if unreal.EditorAssetLibrary.does_asset_exist(new_path):
                unreal.log_warning(f"not renaming {path}: {new_path} already exists")
                continue
            if not dry_run and not unreal.EditorAssetLibrary.rename_asset(path, new_path):
                unreal.log_error(f"could not rename {path} to {new_path}")
                continue
            renamed.append({"from": f"{data.package_name}", "to": new_path})
            unreal.log(f"{'would rename' if dry_run else 'renamed'} {data.package_name} -> {new_path}")
    return renamed


def _strip_wrong_prefix(name: str, rules: Dict[str, str]) -> str:
    """`SM_Rock` wrongly on a texture becomes `Rock`, so it gets `T_Rock` rather than `T_SM_Rock`."""
    for prefix in sorted(set(rules.values()), key=len, reverse=True):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name
