"""What the selection holds: the Content Browser's assets and the level's actors, written to Saved/Reports."""

import json
import os

import unreal


def selection_report():
    """The selected assets (with their class) and actors (with their mesh), as a dict."""
    assets = [
        {"path": a.get_path_name().split(".")[0], "class": a.get_class().get_name()}
        for a in unreal.EditorUtilityLibrary.get_selected_assets()
    ]
    actors = []
    for actor in unreal.get_editor_subsystem(unreal.EditorActorSubsystem).get_selected_level_actors():
        mesh = None
        if isinstance(actor, unreal.StaticMeshActor):
            component = actor.static_mesh_component
            mesh = component.static_mesh.get_path_name().split(".")[0] if component.static_mesh else None
        actors.append({"label": actor.get_actor_label(), "mesh": mesh})
    return {"assets": assets, "actors": actors}


def write_report():
    """Write the report to Saved/Reports/selection.json; returns the file's path."""
    folder = os.path.join(unreal.Paths.project_saved_dir(), "Reports")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "selection.json")
    with open(path, "w") as f:
        json.dump(selection_report(), f, indent=2)
    return path


if __name__ == "__main__":
    unreal.log("wrote " + write_report())
