# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

assets = unreal.EditorUtilityLibrary.get_selected_assets()
subsystem = unreal.get_editor_subsystem(unreal.AssetEditorSubsystem)
subsystem.open_editor_for_assets(assets)
unreal.log("opened {} asset editors".format(len(assets)))
