# ruff: noqa  (written in the styles found in the wild, on purpose)
"""Swap one material for another in every static mesh's slots and save what changed."""
import unreal

OLD = unreal.load_asset("/Game/Materials/M_Wood")
NEW = unreal.load_asset("/Game/Materials/M_Master")
changed = []
for path in unreal.EditorAssetLibrary.list_assets("/Game", recursive=True):
    asset = unreal.load_asset(path)
    if not isinstance(asset, unreal.StaticMesh):
        continue
    for index in range(asset.get_num_sections(0)):
        if asset.get_material(index) == OLD:
            asset.set_material(index, NEW)
            changed.append(asset)
for asset in changed:
    unreal.EditorAssetLibrary.save_loaded_asset(asset)
unreal.log("swapped material on {} meshes".format(len(changed)))
