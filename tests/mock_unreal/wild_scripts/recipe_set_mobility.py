# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

for actor in unreal.EditorLevelLibrary.get_all_level_actors():
    if isinstance(actor, unreal.StaticMeshActor):
        actor.static_mesh_component.set_mobility(unreal.ComponentMobility.STATIC)
    elif isinstance(actor, unreal.Light):
        actor.light_component.set_mobility(unreal.ComponentMobility.STATIONARY)
unreal.log("mobility set")
