"""The editor world: the open map, its persistent level and the actors in it."""

from __future__ import annotations

from typing import Any, List, Optional

from ._actors import (
    Actor,
    CameraActor,
    DirectionalLight,
    Level,
    Light,
    PointLight,
    SkeletalMeshActor,
    StaticMeshActor,
    WorldSettings,
)
from ._components import (
    ActorComponent,
    CameraComponent,
    DirectionalLightComponent,
    LightComponent,
    MeshComponent,
    PointLightComponent,
    PrimitiveComponent,
    SceneComponent,
    SkeletalMeshComponent,
    StaticMeshComponent,
)
from ._core import unreal_name
from ._math import Vector
from ._objects import Object, Package, resolve_class, unique_name
from ._rotation import Rotator, Transform, _as_vector
from ._state import PROJECT

__all__ = [
    "Actor",
    "ActorComponent",
    "CameraActor",
    "CameraComponent",
    "DirectionalLight",
    "DirectionalLightComponent",
    "Level",
    "Light",
    "LightComponent",
    "MeshComponent",
    "PointLight",
    "PointLightComponent",
    "PrimitiveComponent",
    "SceneComponent",
    "SkeletalMeshActor",
    "SkeletalMeshComponent",
    "StaticMeshActor",
    "StaticMeshComponent",
    "WorldSettings",
    "all_actor_objects",
    "clear_selection",
    "destroy",
    "editor_world",
    "level_actors",
    "level_references",
    "open_world",
    "select",
    "set_selected",
    "spawn",
    "world_settings",
]


def editor_world() -> Any:
    """The world open in the editor; a new untitled map the first time."""
    if PROJECT.world is None:
        open_world("/Temp/Untitled_1")
    return PROJECT.world


def open_world(package: str, world: Optional[Any] = None) -> Any:
    """Make `world` (or a new World in `package`) the editor world, with an empty persistent level."""
    from ._asset_types import World

    if world is None:
        pkg = Package(name=package)
        world = World(outer=pkg, name=package.rsplit("/", 1)[-1])
    level = Level(outer=world, name="PersistentLevel")
    object.__setattr__(world, "_level", level)
    object.__setattr__(world, "_actors", [])
    PROJECT.world = world
    clear_selection()
    return world


def level_actors() -> List[Actor]:
    return list(editor_world()._actors)


def spawn(actor_class: Any, location: Any = None, rotation: Any = None, label: str = "") -> Actor:
    """Spawn an actor of `actor_class` (a type, Class or blueprint class) in the editor world."""
    world = editor_world()
    cls = resolve_class(actor_class)
    if not (isinstance(cls, type) and issubclass(cls, Actor)):
        raise TypeError(f"spawn needs an Actor class, got {getattr(cls, '__name__', cls)}")
    from ._streaming import current_level

    actor = cls(outer=current_level(world), name=unique_name(unreal_name(cls)))
    if location is not None or rotation is not None:
        actor.set_actor_transform(
            Transform(
                _as_vector(location) if location is not None else Vector(),
                rotation if rotation is not None else Rotator(),
            ),
            False,
            False,
        )
    actor.set_actor_label(
        label or _unique_label(getattr(cls, "_label_base_", None) or actor._unreal_class_name()),
        mark_dirty=False,
    )
    world._actors.append(actor)
    actor.modify()
    return actor


def _unique_label(base: str) -> str:
    """`StaticMeshActor`, then `StaticMeshActor2`, `StaticMeshActor3`... as the editor labels new actors."""
    taken = {a._label for a in editor_world()._actors}
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def destroy(actor: Actor) -> bool:
    world = editor_world()
    if actor not in world._actors:
        return False
    world._actors.remove(actor)
    set_selected(actor, False)
    world.modify()
    return True


# ---- the actor selection (every API that selects goes through these) --------------------------


def select(actors: Any) -> None:
    """Make `actors` the selection; None entries are skipped."""
    PROJECT.selected_actors = [a for a in actors if a is not None]


def set_selected(actor: Any, on: bool) -> None:
    """Add `actor` to the selection (as its last entry) or remove it."""
    selected = [a for a in PROJECT.selected_actors if a is not actor]
    PROJECT.selected_actors = selected + ([actor] if on else [])


def clear_selection() -> None:
    """Select no actor."""
    PROJECT.selected_actors = []


def world_settings(world: Any) -> WorldSettings:
    settings = vars(world).get("_settings")
    if settings is None:
        settings = WorldSettings(outer=world._level, name="WorldSettings")
        object.__setattr__(world, "_settings", settings)
    return settings


def all_actor_objects() -> List[Any]:
    """Every actor and component in the editor world (for reference fix-ups)."""
    if PROJECT.world is None:
        return []
    out: List[Any] = []
    for actor in PROJECT.world._actors:
        out.append(actor)
        out.extend(actor._components)
    return out


def level_references(package: str) -> List[str]:
    """The map package, when an actor of the editor world uses the asset in `package`."""
    if PROJECT.world is None:
        return []
    world = PROJECT.world
    for obj in all_actor_objects():
        blueprint = getattr(type(obj), "_blueprint_", None)
        if blueprint is not None and blueprint.get_outermost().get_name() == package:
            return [world.get_outermost().get_name()]
        for value in list(obj._props.values()) + list(vars(obj).get("_materials", {}).values()):
            if isinstance(value, Object) and value.get_outermost().get_name() == package:
                return [world.get_outermost().get_name()]
    return []
