"""Set properties on the selected actors, or on actors picked by class, label or tag."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import unreal


def set_actor_properties(
    properties: Dict[str, Any],
    selected_only: bool = True,
    class_name: Optional[str] = None,
    label_contains: Optional[str] = None,
    tag: Optional[str] = None,
) -> List[str]:
    """Set editor properties on actors; returns the labels of the actors changed.

    Besides any editor property (e.g. {"hidden": true}), the keys location, rotation and scale take
    [x, y, z] (rotation as [roll, pitch, yaw]); a list given for a struct property such as a colour
    becomes that struct, e.g. {"light_color": [1, 0.5, 0, 1]}.

    Args:
        properties: property name -> value
        selected_only: only the actors selected in the level
        class_name: only actors of this class (or a subclass), e.g. StaticMeshActor
        label_contains: only actors whose label contains this text
        tag: only actors with this tag
    """
    if not properties:
        raise ValueError("properties is empty; give at least one, e.g. {\"hidden\": true}")
    subsystem = unreal.get_editor_subsystem(unreal.EditorActorSubsystem)
    actors = subsystem.get_selected_level_actors() if selected_only else subsystem.get_all_level_actors()
    if class_name:
        actor_class = getattr(unreal, class_name, None)
        if actor_class is None:
            raise ValueError(f"unreal has no class {class_name}; use an actor class such as StaticMeshActor")
        actors = unreal.EditorFilterLibrary.by_class(actors, actor_class)
    if label_contains:
        actors = unreal.EditorFilterLibrary.by_actor_label(actors, label_contains)
    if tag:
        actors = unreal.EditorFilterLibrary.by_actor_tag(actors, tag)
    changed: List[str] = []
    for actor in actors:
        actor.modify()
        for name, value in properties.items():
            _apply(actor, name, value)
        changed.append(actor.get_actor_label())
    return changed


def _apply(actor: Any, name: str, value: Any) -> None:
    if name == "location":
        actor.set_actor_location(unreal.Vector(*value), False, False)
    elif name == "rotation":
        actor.set_actor_rotation(unreal.Rotator(*value), False)
    elif name == "scale":
        actor.set_actor_scale3d(unreal.Vector(*value))
    else:
        current = actor.get_editor_property(name)
        if isinstance(value, list) and isinstance(current, unreal.StructBase):
            value = type(current)(*value)
        actor.set_editor_property(name, value)
