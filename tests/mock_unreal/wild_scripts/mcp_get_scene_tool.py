# ruff: noqa  (written in the styles found in the wild, on purpose)
import json
import unreal


def get_scene():
    actors = []
    for actor in unreal.get_editor_subsystem(unreal.EditorActorSubsystem).get_all_level_actors():
        loc = actor.get_actor_location()
        actors.append({"label": actor.get_actor_label(), "class": actor.get_class().get_name(),
                       "location": [loc.x, loc.y, loc.z], "folder": str(actor.get_folder_path())})
    world = unreal.get_editor_subsystem(unreal.UnrealEditorSubsystem).get_editor_world()
    return {"level": world.get_name(), "actors": sorted(actors, key=lambda a: a["label"])}


print(json.dumps(get_scene()))
