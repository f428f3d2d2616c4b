# ruff: noqa  (written in the styles found in the wild, on purpose)
import json
import unreal


def spawn_actor(params):
    try:
        cls = getattr(unreal, params["type"])
        location = unreal.Vector(*params.get("location", [0, 0, 0]))
        rotation = unreal.Rotator(*params.get("rotation", [0, 0, 0]))
        actor = unreal.get_editor_subsystem(unreal.EditorActorSubsystem).spawn_actor_from_class(cls, location, rotation)
        actor.set_actor_label(params["name"])
        return {"success": True, "actor": actor.get_actor_label(), "class": actor.get_class().get_name()}
    except Exception as exc:
        return {"success": False, "error": str(exc)}


print(json.dumps([
    spawn_actor({"type": "PointLight", "name": "FillLight", "location": [300, 300, 250]}),
    spawn_actor({"type": "NotAClass", "name": "Broken"}),
]))
