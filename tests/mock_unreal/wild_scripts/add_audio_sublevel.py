# ruff: noqa  (written in the styles found in the wild, on purpose)
# UE4-era style: add an existing map as a sublevel, then hide it while working on visuals.
import unreal

world = unreal.EditorLevelLibrary.get_editor_world()
streaming = unreal.EditorLevelUtils.add_level_to_world(world, "/Game/Maps/Main_Audio", unreal.LevelStreamingAlwaysLoaded)
if streaming is None:
    unreal.log_error("could not add the audio sublevel")
else:
    unreal.EditorLevelUtils.set_level_visibility(streaming.get_loaded_level(), False, False)
    unreal.log("audio sublevel added, visible: {}".format(streaming.is_level_visible()))
