"""Actor components: scene transforms through attachment, meshes with material slots, lights, cameras."""

from __future__ import annotations

from typing import Any, List, Optional

from ._containers import Array, Name
from ._core import prop
from ._enums import ComponentMobility
from ._math import Vector
from ._objects import Object
from ._rotation import Rotator, Transform, _as_vector


def _rotator(value: Any) -> Rotator:
    if isinstance(value, Rotator):
        return value
    raise TypeError(f"expected a Rotator, got {type(value).__name__}")


class ActorComponent(Object):
    """A component owned by an actor."""

    _editor_properties_ = {"component_tags": prop(factory=lambda: Array(Name))}

    def get_owner(self) -> Optional[Any]:
        """The actor that owns this component."""
        from ._actors import Actor

        outer = self.get_outer()
        return outer if isinstance(outer, Actor) else None

    def component_has_tag(self, tag: Any) -> bool:
        """True when the component has the tag."""
        return Name(tag) in self._props["component_tags"]


class SceneComponent(ActorComponent):
    """A component with a transform relative to its parent."""

    _editor_properties_ = {
        "relative_location": prop(factory=Vector, coerce=_as_vector),
        "relative_rotation": prop(factory=Rotator, coerce=_rotator),
        "relative_scale3d": prop(factory=lambda: Vector(1.0, 1.0, 1.0), coerce=_as_vector),
        "mobility": prop(ComponentMobility.MOVABLE),
        "hidden_in_game": prop(False),
    }

    def _post_init(self) -> None:
        object.__setattr__(self, "_parent", None)

    def _relative(self) -> Transform:
        p = self._props
        return Transform(p["relative_location"], p["relative_rotation"], p["relative_scale3d"])

    def get_world_transform(self) -> Transform:
        """The component's transform in world space."""
        relative = self._relative()
        parent = vars(self).get("_parent")
        return relative.multiply(parent.get_world_transform()) if parent is not None else relative

    def _set_world(self, transform: Transform) -> None:
        parent = vars(self).get("_parent")
        local = (
            transform.multiply(parent.get_world_transform().inverse()) if parent is not None else transform
        )
        self._props["relative_location"] = local.translation
        self._props["relative_rotation"] = local.rotation.rotator()
        self._props["relative_scale3d"] = local.scale3d
        self.modify()

    def get_world_location(self) -> Vector:
        """World-space location."""
        return self.get_world_transform().translation

    def get_world_rotation(self) -> Rotator:
        """World-space rotation."""
        return self.get_world_transform().rotation.rotator()

    def get_world_scale(self) -> Vector:
        """World-space scale."""
        return self.get_world_transform().scale3d

    def set_world_location(self, new_location: Vector, sweep: bool, teleport: bool) -> None:
        """Move to a world-space location."""
        t = self.get_world_transform()
        t.translation = new_location
        self._set_world(t)

    def set_world_rotation(self, new_rotation: Rotator, sweep: bool, teleport: bool) -> None:
        """Rotate to a world-space rotation."""
        t = self.get_world_transform()
        t.rotation = new_rotation  # type: ignore[assignment]
        self._set_world(t)

    def set_relative_location(self, new_location: Vector, sweep: bool, teleport: bool) -> None:
        """Move relative to the parent."""
        self.set_editor_property("relative_location", new_location)

    def set_relative_rotation(self, new_rotation: Rotator, sweep: bool, teleport: bool) -> None:
        """Rotate relative to the parent."""
        self.set_editor_property("relative_rotation", new_rotation)

    def set_mobility(self, new_mobility: Any) -> None:
        """Static, stationary or movable."""
        self.set_editor_property("mobility", new_mobility)

    def get_attach_parent(self) -> Optional[SceneComponent]:
        """The component this one is attached to."""
        return vars(self).get("_parent")

    def get_children_components(self, include_all_descendants: bool) -> Array:
        """Components attached to this one."""
        owner = self.get_owner()
        children = [c for c in (owner._components if owner else []) if vars(c).get("_parent") is self]
        return Array.cast(SceneComponent, children)


class PrimitiveComponent(SceneComponent):
    """A component with geometry and materials."""

    _editor_properties_ = {"cast_shadow": prop(True)}

    def _post_init(self) -> None:
        super()._post_init()
        object.__setattr__(self, "_materials", {})

    def get_num_materials(self) -> int:
        """How many material slots."""
        return len(self._all_materials())

    def get_material(self, element_index: int) -> Optional[Any]:
        """The material in a slot (override first, then the mesh's)."""
        materials = self._all_materials()
        return materials[element_index] if 0 <= element_index < len(materials) else None

    def set_material(self, element_index: int, material: Any) -> None:
        """Override the material of a slot."""
        vars(self)["_materials"][element_index] = material
        self.modify()

    def _all_materials(self) -> List[Any]:
        overrides = vars(self)["_materials"]
        count = max(overrides) + 1 if overrides else 0
        return [overrides.get(i) for i in range(count)]


class MeshComponent(PrimitiveComponent):
    """Base of mesh components."""

    _editor_properties_ = {"override_materials": prop(factory=lambda: Array(Object), attribute=False)}

    def get_materials(self) -> Array:
        """The material of every slot."""
        return Array.cast(Object, self._all_materials())


class StaticMeshComponent(MeshComponent):
    """Renders a StaticMesh asset."""

    _editor_properties_ = {"static_mesh": prop(None)}

    def set_static_mesh(self, new_mesh: Any) -> bool:
        """Use a different mesh."""
        self.set_editor_property("static_mesh", new_mesh)
        return True

    def _all_materials(self) -> List[Any]:
        mesh = self._props["static_mesh"]
        base = [s.material_interface for s in mesh._props["static_materials"]] if mesh is not None else []
        overrides = vars(self)["_materials"]
        count = max([len(base)] + [i + 1 for i in overrides])
        return [overrides.get(i, base[i] if i < len(base) else None) for i in range(count)]


class SkeletalMeshComponent(MeshComponent):
    """Renders a SkeletalMesh asset."""

    _editor_properties_ = {"skeletal_mesh_asset": prop(None)}


class LightComponent(SceneComponent):
    """A light's component."""

    _editor_properties_ = {"intensity": prop(5000.0), "light_color": prop(None)}

    def set_intensity(self, new_intensity: float) -> None:
        """Change brightness."""
        self.set_editor_property("intensity", float(new_intensity))


class PointLightComponent(LightComponent):
    """A point light's component."""


class DirectionalLightComponent(LightComponent):
    """A directional light's component."""


class CameraComponent(SceneComponent):
    """A camera's component."""

    _editor_properties_ = {"field_of_view": prop(90.0)}
