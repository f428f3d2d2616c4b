# ruff: noqa  (written in the styles found in the wild, on purpose)
"""Spawn an NPC character at each crate, with a slimmer capsule and a slow walk."""
import unreal

crates = [a for a in unreal.EditorLevelLibrary.get_all_level_actors() if a.get_actor_label().startswith("Crate_")]
for i, crate in enumerate(crates):
    location = crate.get_actor_location() + unreal.Vector(0, 0, 100)
    npc = unreal.EditorLevelLibrary.spawn_actor_from_class(unreal.Character, location)
    npc.set_actor_label("NPC_{:02d}".format(i + 1))
    npc.capsule_component.set_capsule_size(30.0, 90.0)
    npc.character_movement.set_editor_property("max_walk_speed", 150.0)
    npc.set_folder_path("NPCs")
unreal.log("spawned {} NPCs".format(len(crates)))
