"""Spawn a grid of mesh actors in the current level."""
from __future__ import annotations

from typing import List, Optional

import unreal


def spawn_actor_grid(
    mesh_path: str = "/Engine/BasicShapes/Cube.Cube",
    rows: int = 3,
    columns: int = 3,
    spacing: float = 200.0,
    origin: Optional[List[float]] = None,
    label_prefix: str = "Grid",
    folder: str = "Grid",
) -> List[str]:
    """Place rows x columns copies of a static mesh, evenly spaced, labelled and grouped in a folder.

    Args:
        mesh_path: static mesh to place
        rows: how many rows (along X)
        columns: how many columns (along Y)
        spacing: distance between neighbours, in centimetres
        origin: [x, y, z] of the first actor (default [0, 0, 0])
        label_prefix: actors are labelled <prefix>_<row>_<column>
        folder: World Outliner folder for the new actors
    """
    if rows < 1 or columns < 1 or rows * columns > 10_000:
        raise ValueError(f"rows and columns must be at least 1 and make at most 10000; got {rows}x{columns}")
    origin = origin if origin is not None else [0.0, 0.0, 0.0]
    if len(origin) != 3:
        raise ValueError(f"origin must be [x, y, z], got {origin}")
    mesh = unreal.EditorAssetLibrary.load_asset(mesh_path)
    if mesh is None or not isinstance(mesh, unreal.StaticMesh):
        raise ValueError(f"{mesh_path} is not a static mesh; pass mesh_path of a StaticMesh asset")
    actors = unreal.get_editor_subsystem(unreal.EditorActorSubsystem)
    labels: List[str] = []
    with unreal.ScopedSlowTask(rows * columns, "Spawning actor grid") as task:
        for row in range(rows):
            for column in range(columns):
                task.enter_progress_frame(1)
                location = unreal.Vector(origin[0] + row * spacing, origin[1] + column * spacing, origin[2])
                actor = actors.spawn_actor_from_object(mesh, location, unreal.Rotator(0.0, 0.0, 0.0))
                label = f"{label_prefix}_{row}_{column}"
                actor.set_actor_label(label)
                actor.set_folder_path(folder)
                labels.append(label)
    return labels
