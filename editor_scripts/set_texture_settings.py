"""Set texture compression and sRGB from the name suffix (_N normal maps, _ORM masks, ...)."""
from __future__ import annotations

from typing import Dict, List, Optional

import unreal

# suffix -> (compression setting name, sRGB)
DEFAULT_RULES: Dict[str, str] = {
    "_N": "TC_NORMALMAP",
    "_ORM": "TC_MASKS",
    "_M": "TC_MASKS",
    "_R": "TC_GRAYSCALE",
    "_H": "TC_GRAYSCALE",
    "_D": "TC_DEFAULT",
    "_BC": "TC_DEFAULT",
}


def set_texture_settings(
    directory: str = "/Game",
    rules: Optional[Dict[str, str]] = None,
    recursive: bool = True,
    save: bool = True,
) -> List[Dict[str, str]]:
    """Give each texture the compression its suffix calls for; colour data stays sRGB, the rest linear.

    Args:
        directory: content folder with textures
        rules: name suffix -> TextureCompressionSettings name, merged over the defaults
            (_N normal map, _ORM/_M masks, _R/_H grayscale, _D/_BC default)
        recursive: include sub-folders
        save: save the textures that changed
    """
    table = {**DEFAULT_RULES, **(rules or {})}
    suffixes = sorted(table, key=len, reverse=True)
    changed: List[Dict[str, str]] = []
    for path in unreal.EditorAssetLibrary.list_assets(directory, recursive=recursive, include_folder=False):
        data = unreal.EditorAssetLibrary.find_asset_data(path)
        if str(data.asset_class_path.asset_name) != "Texture2D":
            continue
        name = str(data.asset_name)
        suffix = next((s for s in suffixes if name.upper().endswith(s.upper())), None)
        if suffix is None:
            continue
        setting_name = table[suffix]
        compression = getattr(unreal.TextureCompressionSettings, setting_name, None)
        if compression is None:
            raise ValueError(f"rules.{suffix}: {setting_name} is not a TextureCompressionSettings value")
        srgb = setting_name == "TC_DEFAULT"
        texture = unreal.EditorAssetLibrary.load_asset(path)
        if (texture.get_editor_property("compression_settings") == compression
                and texture.get_editor_property("srgb") == srgb):
            continue
        texture.set_editor_property("compression_settings", compression)
        texture.set_editor_property("srgb", srgb)
        if save:
            unreal.EditorAssetLibrary.save_loaded_asset(texture)
        changed.append({"texture": str(data.package_name), "compression": setting_name, "srgb": str(srgb)})
    return changed
