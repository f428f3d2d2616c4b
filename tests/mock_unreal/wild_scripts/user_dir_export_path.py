# ruff: noqa  (written in the styles found in the wild, on purpose)
import os
import unreal

export_root = os.path.join(unreal.SystemLibrary.get_platform_user_dir(), "UnrealExports", unreal.SystemLibrary.get_game_name())
unreal.log("Exports go to " + export_root.replace("\\", "/"))
