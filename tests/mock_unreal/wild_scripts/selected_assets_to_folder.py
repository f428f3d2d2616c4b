# ruff: noqa  (written in the styles found in the wild, on purpose)
# The group-3 pattern: act on the Content Browser selection, first item first.
import unreal

selected = unreal.EditorUtilityLibrary.get_selected_assets()
first = selected[0]
unreal.log("first selected: " + first.get_name())
for asset in selected:
    old_path = asset.get_path_name().split(".")[0]
    unreal.EditorAssetLibrary.rename_asset(old_path, "/Game/Selected/" + asset.get_name())
