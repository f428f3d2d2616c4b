# ruff: noqa  (written in the styles found in the wild, on purpose)
# UE5 subsystem style.
import unreal

actor_subsystem = unreal.get_editor_subsystem(unreal.EditorActorSubsystem)
level_subsystem = unreal.get_editor_subsystem(unreal.LevelEditorSubsystem)
editor_subsystem = unreal.get_editor_subsystem(unreal.UnrealEditorSubsystem)

world = editor_subsystem.get_editor_world()
selected = actor_subsystem.get_selected_level_actors()
unreal.log("{} actors selected in {}".format(len(selected), world.get_name()))
for actor in selected:
    actor.set_actor_scale3d(unreal.Vector(2.0, 2.0, 2.0))
    tags = actor.get_editor_property("tags")
    tags.append(unreal.Name("Scaled"))
    actor.set_editor_property("tags", tags)
level_subsystem.save_current_level()
