"""Pawns and characters as placed in a level: capsule, mesh and movement settings; no possession headless."""

from __future__ import annotations

from typing import Any, Optional

from ._actors import Actor
from ._components import ActorComponent, PrimitiveComponent, SkeletalMeshComponent
from ._core import prop
from ._math import Vector
from ._rotation import Rotator


class CapsuleComponent(PrimitiveComponent):
    """A capsule collision shape: radius and half height, in unscaled cm."""

    _editor_properties_ = {"capsule_half_height": prop(88.0), "capsule_radius": prop(34.0)}

    def set_capsule_size(self, radius: float, half_height: float, update_overlaps: bool = True) -> None:
        """Set both dimensions; the half height never drops below the radius, as in the editor."""
        self._props["capsule_radius"] = float(radius)
        self._props["capsule_half_height"] = max(float(half_height), float(radius))
        self.modify()

    def set_capsule_radius(self, radius: float, update_overlaps: bool = True) -> None:
        """Set the radius."""
        self.set_capsule_size(radius, self._props["capsule_half_height"], update_overlaps)

    def set_capsule_half_height(self, half_height: float, update_overlaps: bool = True) -> None:
        """Set the half height."""
        self.set_capsule_size(self._props["capsule_radius"], half_height, update_overlaps)

    def get_unscaled_capsule_radius(self) -> float:
        """The radius as set."""
        return float(self._props["capsule_radius"])

    def get_unscaled_capsule_half_height(self) -> float:
        """The half height as set."""
        return float(self._props["capsule_half_height"])

    def get_scaled_capsule_radius(self) -> float:
        """The radius times the smaller horizontal scale."""
        scale = self.get_world_scale()
        return self.get_unscaled_capsule_radius() * min(abs(scale.x), abs(scale.y))

    def get_scaled_capsule_half_height(self) -> float:
        """The half height times the vertical scale."""
        return self.get_unscaled_capsule_half_height() * abs(self.get_world_scale().z)


class CharacterMovementComponent(ActorComponent):
    """A character's walking, jumping and flying settings."""

    _editor_properties_ = {
        "max_walk_speed": prop(600.0),
        "max_walk_speed_crouched": prop(300.0),
        "max_fly_speed": prop(600.0),
        "max_swim_speed": prop(300.0),
        "max_acceleration": prop(2048.0),
        "jump_z_velocity": prop(420.0),
        "gravity_scale": prop(1.0),
        "ground_friction": prop(8.0),
        "max_step_height": prop(45.0),
        "velocity": prop(factory=Vector),
    }

    def get_pawn_owner(self) -> Optional[Any]:
        """The pawn this component moves."""
        owner = self.get_owner()
        return owner if isinstance(owner, Pawn) else None


class Pawn(Actor):
    """An actor a controller can possess; headless nothing possesses it."""

    _editor_properties_ = {
        "base_eye_height": prop(64.0),
        "use_controller_rotation_pitch": prop(False),
        "use_controller_rotation_yaw": prop(True),
        "use_controller_rotation_roll": prop(False),
        "ai_controller_class": prop(None),
    }

    def _post_init(self) -> None:
        super()._post_init()
        object.__setattr__(self, "_movement_input", Vector())

    def get_controller(self) -> Optional[Any]:
        """None: no controller possesses a pawn in the editor world."""
        return None

    def is_controlled(self) -> bool:
        """False in the editor world."""
        return False

    def is_player_controlled(self) -> bool:
        """False in the editor world."""
        return False

    def is_bot_controlled(self) -> bool:
        """False in the editor world."""
        return False

    def get_control_rotation(self) -> Rotator:
        """The zero rotator: there is no controller."""
        return Rotator()

    def get_movement_component(self) -> Optional[Any]:
        """The pawn's movement component, if it has one."""
        return self.get_component_by_class(CharacterMovementComponent)

    def add_movement_input(self, world_direction: Vector, scale_value: float = 1.0, force: bool = False) -> None:
        """Accumulate movement input, consumed by the next movement update."""
        object.__setattr__(self, "_movement_input", self._movement_input + world_direction * float(scale_value))

    def get_pending_movement_input_vector(self) -> Vector:
        """Input added since it was last consumed."""
        return Vector(self._movement_input.x, self._movement_input.y, self._movement_input.z)

    def consume_movement_input_vector(self) -> Vector:
        """The pending input, cleared."""
        pending = self.get_pending_movement_input_vector()
        object.__setattr__(self, "_movement_input", Vector())
        return pending


class Character(Pawn):
    """A pawn with a capsule root, a skeletal mesh and a character movement component."""

    _editor_properties_ = {
        "capsule_component": prop(None, read_only=True),
        "mesh": prop(None, read_only=True),
        "character_movement": prop(None, read_only=True),
        "crouched_eye_height": prop(32.0),
        "jump_max_count": prop(1),
        "jump_max_hold_time": prop(0.0),
    }
    _root_class = CapsuleComponent
    _root_name = "CollisionCylinder"
    _root_properties = ("capsule_component",)

    def _post_init(self) -> None:
        super()._post_init()
        mesh = SkeletalMeshComponent(outer=self, name="CharacterMesh0")
        object.__setattr__(mesh, "_parent", self._root())
        movement = CharacterMovementComponent(outer=self, name="CharMoveComp")
        self._components.extend([mesh, movement])
        self._props["mesh"] = mesh
        self._props["character_movement"] = movement

    def can_jump(self) -> bool:
        """True: nothing in the editor world stops a standing character from jumping."""
        return int(self._props["jump_max_count"]) > 0

    def can_crouch(self) -> bool:
        """True: characters may crouch unless the movement component forbids it."""
        return True
