# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

new_mesh = unreal.EditorAssetLibrary.load_asset("/Game/Props/Barrel")
for actor in unreal.EditorLevelLibrary.get_selected_level_actors():
    if isinstance(actor, unreal.StaticMeshActor):
        actor.static_mesh_component.set_static_mesh(new_mesh)
        unreal.log("{} now uses {}".format(actor.get_actor_label(), new_mesh.get_name()))
unreal.EditorLevelLibrary.save_current_level()
