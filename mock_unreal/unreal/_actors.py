"""Placed actors: label, folder, tags, components and a transform (their root component's)."""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from ._components import (
    ActorComponent,
    CameraComponent,
    DirectionalLightComponent,
    MeshComponent,
    PointLightComponent,
    SceneComponent,
    SkeletalMeshComponent,
    StaticMeshComponent,
    _rotator,
)
from ._containers import Array, Name
from ._core import hidden, prop
from ._math import Vector
from ._objects import Object, resolve_class
from ._rotation import Rotator, Transform, _as_vector


class Level(Object):
    """A level inside a world: holds the actors."""


class Actor(Object):
    """A placed actor: label, folder, tags, components and a transform (its root component's)."""

    _editor_properties_ = {
        "tags": prop(factory=lambda: Array(Name)),
        "root_component": prop(None),
        "hidden": prop(False, attribute=False),
    }
    _root_class: type = SceneComponent
    _root_name = "DefaultSceneRoot"
    _root_properties: Tuple[str, ...] = ()  # editor properties besides root_component that name the root
    _components: List[ActorComponent]

    def _post_init(self) -> None:
        object.__setattr__(self, "_label", "")
        object.__setattr__(self, "_folder", "")
        root = self._root_class(outer=self, name=self._root_name)
        object.__setattr__(self, "_components", [root])
        self._props["root_component"] = root
        for name in self._root_properties:
            self._props[name] = root

    def get_actor_label(self, create_if_none: bool = True) -> str:
        """The name shown in the Outliner."""
        return self._label or (self.get_name() if create_if_none else "")

    def set_actor_label(self, new_actor_label: str, mark_dirty: bool = True) -> None:
        """Rename the actor in the Outliner."""
        object.__setattr__(self, "_label", str(new_actor_label))
        if mark_dirty:
            self.modify()

    def get_folder_path(self) -> Name:
        """The Outliner folder, e.g. `Props/Rocks` (None when at the root)."""
        return Name(self._folder or "None")

    def set_folder_path(self, new_folder_path: Any) -> None:
        """Move the actor to an Outliner folder."""
        folder = str(new_folder_path)
        object.__setattr__(self, "_folder", "" if folder == "None" else folder)
        self.modify()

    def _root(self) -> SceneComponent:
        return self._props["root_component"]

    def get_actor_transform(self) -> Transform:
        """World transform."""
        return self._root().get_world_transform()

    def get_actor_location(self) -> Vector:
        """World location."""
        return self._root().get_world_location()

    def get_actor_rotation(self) -> Rotator:
        """World rotation."""
        return self._root().get_world_rotation()

    def get_actor_scale3d(self) -> Vector:
        """World scale."""
        return self._root().get_world_scale()

    def set_actor_location(self, new_location: Vector, sweep: bool, teleport: bool) -> None:
        """Move the actor (no sweep hits in the mock)."""
        self._root().set_world_location(_as_vector(new_location), sweep, teleport)

    def set_actor_rotation(self, new_rotation: Rotator, teleport_physics: bool) -> bool:
        """Rotate the actor."""
        self._root().set_world_rotation(_rotator(new_rotation), False, teleport_physics)
        return True

    def set_actor_scale3d(self, new_scale3d: Vector) -> None:
        """Scale the actor."""
        t = self.get_actor_transform()
        t.scale3d = new_scale3d
        self._root()._set_world(t)

    def set_actor_transform(self, new_transform: Transform, sweep: bool, teleport: bool) -> None:
        """Set the whole world transform."""
        self._root()._set_world(new_transform)

    def set_actor_location_and_rotation(
        self, new_location: Vector, new_rotation: Rotator, sweep: bool, teleport: bool
    ) -> None:
        """Move and rotate in one call."""
        self._root()._set_world(Transform(new_location, new_rotation, self.get_actor_scale3d()))

    def add_actor_world_offset(self, delta_location: Vector, sweep: bool, teleport: bool) -> None:
        """Move by a world-space offset."""
        self.set_actor_location(self.get_actor_location() + delta_location, sweep, teleport)

    def add_actor_world_rotation(self, delta_rotation: Rotator, sweep: bool, teleport: bool) -> None:
        """Rotate by a world-space rotation."""
        self.set_actor_rotation(self.get_actor_rotation().combine(delta_rotation), teleport)

    def get_actor_forward_vector(self) -> Vector:
        """The actor's X axis in world space."""
        return self.get_actor_rotation().get_forward_vector()

    def actor_has_tag(self, tag: Any) -> bool:
        """True when the actor has the tag."""
        return Name(tag) in self._props["tags"]

    def get_components_by_class(self, component_class: Any = None) -> Array:
        """Components that are instances of a class."""
        wanted = resolve_class(component_class) if component_class is not None else ActorComponent
        return Array.cast(ActorComponent, [c for c in self._components if isinstance(c, wanted)])

    def get_component_by_class(self, component_class: Any = None) -> Optional[ActorComponent]:
        """The first component of a class, or None."""
        found = self.get_components_by_class(component_class)
        return found[0] if found else None

    def get_actor_bounds(
        self, only_colliding_components: bool, include_from_child_actors: bool = False
    ) -> Tuple[Vector, Vector]:
        """(origin, box extent): a 100 cm cube per mesh, scaled."""
        scale = self.get_actor_scale3d()
        extent = Vector(50.0, 50.0, 50.0) * scale.get_abs() if self._has_mesh() else Vector()
        return self.get_actor_location(), extent

    def _has_mesh(self) -> bool:
        return any(isinstance(c, MeshComponent) for c in self._components)

    def attach_to_actor(
        self,
        parent_actor: Actor,
        socket_name: Any,
        location_rule: Any,
        rotation_rule: Any,
        scale_rule: Any,
        weld_simulated_bodies: bool = True,
    ) -> bool:
        """Attach this actor's root to another actor's root, keeping or snapping the transform."""
        world = self.get_actor_transform()
        object.__setattr__(self._root(), "_parent", parent_actor._root())
        if getattr(location_rule, "name", "") == "KEEP_WORLD":
            self._root()._set_world(world)
        self.modify()
        return True

    def detach_from_actor(
        self, location_rule: Any = None, rotation_rule: Any = None, scale_rule: Any = None
    ) -> None:
        """Detach, keeping the world transform."""
        world = self.get_actor_transform()
        object.__setattr__(self._root(), "_parent", None)
        self._root()._set_world(world)

    def get_attach_parent_actor(self) -> Optional[Actor]:
        """The actor this one is attached to."""
        parent = vars(self._root()).get("_parent")
        return parent.get_owner() if parent is not None else None

    def get_attached_actors(
        self, reset_array: bool = True, recursively_include_attached_actors: bool = False
    ) -> Array:
        """Actors attached to this one."""
        from ._level import level_actors

        mine = self._root()
        return Array.cast(Actor, [a for a in level_actors() if vars(a._root()).get("_parent") is mine])

    def set_actor_hidden_in_game(self, new_hidden: bool) -> None:
        """Hide or show in game."""
        self._props["hidden"] = bool(new_hidden)
        self.modify()

    def set_is_temporarily_hidden_in_editor(self, is_hidden: bool) -> None:
        """Hide or show in the editor viewport."""
        object.__setattr__(self, "_hidden_in_editor", bool(is_hidden))

    def is_temporarily_hidden_in_editor(self, include_parent: bool = False) -> bool:
        """True when hidden in the editor viewport."""
        return bool(vars(self).get("_hidden_in_editor", False))

    def destroy_actor(self) -> None:
        """Remove the actor from the level."""
        from ._level import destroy

        destroy(self)

    def get_level(self) -> Optional[Any]:
        """The level the actor is in."""
        return self.get_outer()


class StaticMeshActor(Actor):
    """An actor showing a static mesh."""

    _editor_properties_ = {"static_mesh_component": prop(None)}
    _root_class = StaticMeshComponent
    _root_name = "StaticMeshComponent0"
    _root_properties = ("static_mesh_component",)

    def set_mobility(self, mobility: Any) -> None:
        """Static, stationary or movable."""
        self._root().set_mobility(mobility)


class SkeletalMeshActor(Actor):
    """An actor showing a skeletal mesh."""

    _editor_properties_ = {"skeletal_mesh_component": prop(None)}
    _root_class = SkeletalMeshComponent
    _root_name = "SkeletalMeshComponent0"
    _root_properties = ("skeletal_mesh_component",)


class Light(Actor):
    """Base of light actors."""

    _editor_properties_ = {"light_component": prop(None)}
    _root_properties: Tuple[str, ...] = ("light_component",)


class PointLight(Light):
    """A point light."""

    _editor_properties_ = {"point_light_component": prop(None)}
    _root_class = PointLightComponent
    _root_name = "LightComponent0"
    _root_properties = (*Light._root_properties, "point_light_component")


class DirectionalLight(Light):
    """A directional light."""

    _editor_properties_ = {"directional_light_component": hidden(None)}
    _root_class = DirectionalLightComponent
    _root_name = "LightComponent0"
    _root_properties = (*Light._root_properties, "directional_light_component")


class CameraActor(Actor):
    """A camera placed in the level."""

    _editor_properties_ = {"camera_component": prop(None)}
    _root_class = CameraComponent
    _root_name = "CameraComponent"
    _root_properties = ("camera_component",)


class WorldSettings(Actor):
    """The level's settings actor."""


# ---- the editor world -----------------------------------------------------------------------
