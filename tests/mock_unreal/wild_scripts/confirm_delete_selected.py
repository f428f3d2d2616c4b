# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

selected = unreal.EditorUtilityLibrary.get_selected_assets()
answer = unreal.EditorDialog.show_message(
    "Delete assets", "Delete {} selected assets?".format(len(selected)), unreal.AppMsgType.YES_NO
)
if answer == unreal.AppReturnType.YES:
    for asset in selected:
        unreal.EditorAssetLibrary.delete_loaded_asset(asset)
    unreal.log("Deleted {} assets".format(len(selected)))
else:
    unreal.log("Nothing deleted")
