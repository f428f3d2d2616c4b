# ruff: noqa  (written in the styles found in the wild, on purpose)
# Deprecated-but-common EditorLevelLibrary style.
import unreal

mesh = unreal.EditorAssetLibrary.load_asset("/Game/Props/SM_Crate")
spacing = 250.0
for row in range(3):
    for col in range(3):
        location = unreal.Vector(col * spacing, row * spacing, 0.0)
        actor = unreal.EditorLevelLibrary.spawn_actor_from_object(mesh, location, unreal.Rotator(0, 0, 45))
        actor.set_actor_label("Grid_{}_{}".format(row, col))
        actor.set_folder_path("Grid")
print("spawned", len(unreal.EditorLevelLibrary.get_all_level_actors()))
