# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

subsystem = unreal.get_editor_subsystem(unreal.EditorActorSubsystem)
copies = []
for actor in subsystem.get_selected_level_actors():
    copy = subsystem.duplicate_actor(actor, None, unreal.Vector(0, 500, 0))
    copy.set_actor_label(actor.get_actor_label() + "_Copy")
    copies.append(copy)
subsystem.set_selected_level_actors(copies)
unreal.log("duplicated {}".format(len(copies)))
