# ruff: noqa  (written in the styles found in the wild, on purpose)
"""Rename assets that lack the conventional prefix for their class."""

import unreal

PREFIXES = {
    "StaticMesh": "SM_",
    "Material": "M_",
    "MaterialInstanceConstant": "MI_",
    "Texture2D": "T_",
    "SoundWave": "S_",
    "Blueprint": "BP_",
}


def fix_prefixes(root):
    renamed = 0
    for path in unreal.EditorAssetLibrary.list_assets(root, recursive=True):
        data = unreal.EditorAssetLibrary.find_asset_data(path)
        class_name = str(data.asset_class_path.asset_name)
        prefix = PREFIXES.get(class_name)
        name = str(data.asset_name)
        if prefix is None or name.startswith(prefix):
            continue
        new_path = "{}/{}{}".format(data.package_path, prefix, name)
        if unreal.EditorAssetLibrary.rename_asset(str(data.package_name), new_path):
            renamed += 1
            unreal.log("Renamed {} -> {}".format(data.package_name, new_path))
        else:
            unreal.log_warning("Could not rename {}".format(data.package_name))
    return renamed


if __name__ == "__main__":
    total = fix_prefixes("/Game")
    print("renamed {} assets".format(total))
