# ruff: noqa  (written in the styles found in the wild, on purpose)
# Agents often send C++ property names; the editor accepts them.
import json
import unreal


def set_actor_property(label, property_name, value):
    for actor in unreal.EditorLevelLibrary.get_all_level_actors():
        if actor.get_actor_label() == label:
            actor.set_editor_property(property_name, value)
            return {"success": True, "value": actor.get_editor_property(property_name)}
    return {"success": False, "error": "no actor " + label}


print(json.dumps([set_actor_property("Rock_01", "bHidden", True), set_actor_property("Ghost", "bHidden", True)]))
