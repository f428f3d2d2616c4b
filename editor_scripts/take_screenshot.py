"""Take a high-resolution screenshot of the level viewport."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Dict, Optional, Union

import unreal

import bridge


def _written_since(directory: Path, filename: str, since: float) -> Optional[Path]:
    """The screenshot file, once written: `filename` if absolute, else the newest PNG below `directory`."""
    if filename and Path(filename).is_absolute():
        named = Path(filename).with_suffix(".png")
        return named if named.is_file() and named.stat().st_mtime >= since else None
    found = [p for p in directory.rglob("*.png") if p.stat().st_mtime >= since] if directory.is_dir() else []
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def take_screenshot(
    width: int = 3840,
    height: int = 2160,
    filename: str = "",
    camera_label: Optional[str] = None,
) -> Dict[str, Union[str, int, None]]:
    """Capture the viewport (or a camera actor's view) at width x height into Saved/Screenshots.

    Run through the bridge, the image is kept as an artifact of the run (type image) when it is
    written at once; an editor that writes it on a later frame leaves it in Saved/Screenshots only.

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
    # File times have a coarser clock than time.time() on some file systems.
    requested = time.time() - 1.0
    unreal.AutomationLibrary.take_high_res_screenshot(width, height, filename, camera)
    directory = unreal.Paths.screen_shot_dir()
    image = _written_since(Path(directory), filename, requested)
    artifact = None
    if image is not None:
        artifact = bridge.artifact(
            image, name=image.name, artifact_type="image",
            description=f"{width}x{height} screenshot" + (f" from {camera_label}" if camera_label else ""),
        )
    return {
        "width": width,
        "height": height,
        "filename": filename,
        "camera": camera_label,
        "directory": directory,
        "path": str(image) if image is not None else None,
        "artifact_id": artifact.id if artifact is not None else None,
    }
