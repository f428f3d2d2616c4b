# ruff: noqa  (written in the styles found in the wild, on purpose)
# MCP tool style: a function returning JSON-able data, printed for the agent.
import json
import unreal


def get_cameras():
    result = []
    for actor in unreal.EditorLevelLibrary.get_all_level_actors():
        if not isinstance(actor, unreal.CineCameraActor):
            continue
        cam = actor.get_cine_camera_component()
        result.append({
            "name": actor.get_actor_label(),
            "focal_length": cam.current_focal_length,
            "hfov": round(cam.get_horizontal_field_of_view(), 2),
            "filmback": cam.get_filmback_preset_name(),
        })
    return {"success": True, "cameras": result}


print(json.dumps(get_cameras()))
