# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

FOLDERS = {unreal.StaticMeshActor: "Geometry", unreal.PointLight: "Lighting", unreal.CameraActor: "Cameras"}
for actor in unreal.get_editor_subsystem(unreal.EditorActorSubsystem).get_all_level_actors():
    for cls, folder in FOLDERS.items():
        if isinstance(actor, cls):
            actor.set_folder_path(folder)
            break
