"""Check asset names against the project's naming conventions."""
from __future__ import annotations

import re
from typing import Dict, List, Optional

import unreal

from editor_scripts._naming import DEFAULT_PREFIXES

_ALLOWED = re.compile(r"^[A-Za-z0-9_]+$")


def validate_naming(
    directory: str = "/Game",
    prefixes: Optional[Dict[str, str]] = None,
    max_length: int = 64,
    recursive: bool = True,
) -> List[Dict[str, str]]:
    """List every asset whose name breaks a rule: class prefix, allowed characters, length.

    Each problem is also written to the log as a warning, so a CI run shows it.

    Args:
        directory: content folder to check
        prefixes: class name -> required prefix, merged over the defaults
        max_length: longest allowed asset name
        recursive: include sub-folders
    """
    rules = {**DEFAULT_PREFIXES, **(prefixes or {})}
    problems: List[Dict[str, str]] = []
    for path in unreal.EditorAssetLibrary.list_assets(directory, recursive=recursive, include_folder=False):
        data = unreal.EditorAssetLibrary.find_asset_data(path)
        name, class_name = str(data.asset_name), str(data.asset_class_path.asset_name)
        found: List[str] = []
        prefix = rules.get(class_name)
        if prefix and not name.startswith(prefix):
            found.append(f"{class_name} names start with {prefix}")
        if not _ALLOWED.match(name):
            found.append("use only letters, digits and _ (no spaces or punctuation)")
        if len(name) > max_length:
            found.append(f"name is {len(name)} characters; at most {max_length}")
        if "__" in name:
            found.append("no double underscores")
        for problem in found:
            unreal.log_warning(f"{data.package_name}: {problem}")
            problems.append({"asset": str(data.package_name), "class": class_name, "problem": problem})
    return problems
