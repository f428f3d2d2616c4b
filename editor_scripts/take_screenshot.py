"""Take a high-resolution screenshot of the level viewport."""
from __future__ import annotations

from typing import Dict, Optional, Union

import unreal


def take_screenshot(
    width: int = 3840,
    height: int = 2160,
    filename: str = "",
    camera_label: Optional[str] = None,
) -> Dict[str, Union[str, int, None]]:
    """Capture the viewport (or a camera actor's view) at width x height into Saved/Screenshots.

    Args:
        width: image width in pixels
        height: image height in pixels
        filename: file name or absolute path (default: HighresScreenshot numbering)
        camera_label: label of a CameraActor to shoot from instead of the viewport
    """
    if not (1 <= width <= 16384 and 1 <= height <= 16384):
        raise ValueError(f"width and height must be between 1 and 16384 pixels, got {width}x{height}")
    camera = None
    if camera_label:
        actors = unreal.get_editor_subsystem(unreal.EditorActorSubsystem).get_all_level_actors()
        cameras = unreal.EditorFilterLibrary.by_class(actors, unreal.CameraActor)
        matches = [actor for actor in cameras if actor.get_actor_label() == camera_label]
        if not matches:
            raise ValueError(f"no CameraActor labelled {camera_label!r} in the level")
        camera = matches[0]
    unreal.AutomationLibrary.take_high_res_screenshot(width, height, filename, camera)
    return {
        "width": width,
        "height": height,
        "filename": filename,
        "camera": camera_label,
        "directory": unreal.Paths.screen_shot_dir(),
    }
