# ruff: noqa  (written in the styles found in the wild, on purpose)
"""Move every light into its own streaming sublevel, as lighting artists split persistent levels."""
import unreal

world = unreal.EditorLevelLibrary.get_editor_world()
lights = [a for a in unreal.EditorLevelLibrary.get_all_level_actors() if isinstance(a, unreal.Light)]
sublevel = unreal.EditorLevelUtils.create_new_streaming_level(
    unreal.LevelStreamingAlwaysLoaded, "/Game/Maps/Main_Lighting", False
)
moved = unreal.EditorLevelUtils.move_actors_to_level(lights, sublevel)
unreal.log("moved {} lights to {}".format(moved, sublevel.get_world_asset_package_f_name()))
unreal.log("levels: {}".format(len(unreal.EditorLevelUtils.get_levels(world))))
