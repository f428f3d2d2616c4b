# ruff: noqa  (written in the styles found in the wild, on purpose)
# Top-level style, UE4 era: list every static mesh under /Game.
import unreal

asset_paths = unreal.EditorAssetLibrary.list_assets("/Game", recursive=True, include_folder=False)
count = 0
for path in asset_paths:
    asset = unreal.EditorAssetLibrary.load_asset(path)
    if asset.get_class().get_name() == "StaticMesh":
        count += 1
        print("StaticMesh: {} ({})".format(asset.get_name(), asset.get_path_name()))
unreal.log("Found {} static meshes".format(count))
