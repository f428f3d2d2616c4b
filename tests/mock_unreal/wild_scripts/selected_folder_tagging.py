# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

for folder in unreal.EditorUtilityLibrary.get_selected_folder_paths():
    for path in unreal.EditorAssetLibrary.list_assets(folder, recursive=True):
        asset = unreal.EditorAssetLibrary.load_asset(path)
        unreal.EditorAssetLibrary.set_metadata_tag(asset, "Folder", folder)
        unreal.EditorAssetLibrary.save_loaded_asset(asset)
    unreal.log("tagged " + folder)
