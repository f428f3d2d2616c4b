"""Rotations with the editor's conventions: Rotator (degrees), Quat, Transform."""

from __future__ import annotations

import math
from typing import Any, Optional

from ._core import prop
from ._math import _TOLERANCE, Vector, _f, _fp
from ._structs import StructBase


def _normalize_axis(angle: float) -> float:
    angle = math.fmod(angle, 360.0)
    if angle < 0.0:
        angle += 360.0
    return angle - 360.0 if angle > 180.0 else angle


class Rotator(StructBase):
    """Pitch, yaw and roll in degrees; constructed as Rotator(roll, pitch, yaw) like the editor."""

    _editor_properties_ = {"pitch": _fp(), "yaw": _fp(), "roll": _fp()}
    pitch: float
    yaw: float
    roll: float

    def __init__(self, roll: float = 0.0, pitch: float = 0.0, yaw: float = 0.0) -> None:
        super().__init__(pitch=pitch, yaw=yaw, roll=roll)

    def _c(self) -> tuple[float, float, float]:
        return (self.pitch, self.yaw, self.roll)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rotator):
            return NotImplemented
        return self.is_near_equal(other)

    __hash__ = None

    def __neg__(self) -> Rotator:
        return Rotator(-self.roll, -self.pitch, -self.yaw)

    def __add__(self, other: Rotator) -> Rotator:
        return self.combine(other) if isinstance(other, Rotator) else NotImplemented

    def __sub__(self, other: Rotator) -> Rotator:
        return self.delta(other) if isinstance(other, Rotator) else NotImplemented

    def __mul__(self, other: float) -> Rotator:
        return self.scale(other)

    def is_near_equal(self, b: Rotator, error_tolerance: float = _TOLERANCE) -> bool:
        """Equal within `error_tolerance` degrees, comparing angles modulo 360."""
        return all(abs(_normalize_axis(x - y)) <= error_tolerance for x, y in zip(self._c(), b._c()))

    def combine(self, b: Rotator) -> Rotator:
        """The component-wise sum, as the editor's Rotator + Rotator."""
        return Rotator(self.roll + b.roll, self.pitch + b.pitch, self.yaw + b.yaw)

    def delta(self, b: Rotator) -> Rotator:
        """The normalized difference self - b."""
        return Rotator(
            _normalize_axis(self.roll - b.roll),
            _normalize_axis(self.pitch - b.pitch),
            _normalize_axis(self.yaw - b.yaw),
        )

    def scale(self, b: float) -> Rotator:
        """Every angle multiplied by b."""
        return Rotator(self.roll * b, self.pitch * b, self.yaw * b)

    def inversed(self) -> Rotator:
        """The inverse rotation."""
        return self.quaternion().inversed().rotator()

    def get_forward_vector(self) -> Vector:
        """The unit X axis rotated by this rotator."""
        return self.quaternion().rotate_vector(Vector(1.0, 0.0, 0.0))

    def get_right_vector(self) -> Vector:
        """The unit Y axis rotated by this rotator."""
        return self.quaternion().rotate_vector(Vector(0.0, 1.0, 0.0))

    def get_up_vector(self) -> Vector:
        """The unit Z axis rotated by this rotator."""
        return self.quaternion().rotate_vector(Vector(0.0, 0.0, 1.0))

    def to_vector(self) -> Vector:
        """The forward vector."""
        return self.get_forward_vector()

    def quaternion(self) -> Quat:
        """This rotation as a quaternion (FRotator::Quaternion)."""
        half = math.pi / 360.0
        sp, cp = math.sin(self.pitch * half), math.cos(self.pitch * half)
        sy, cy = math.sin(self.yaw * half), math.cos(self.yaw * half)
        sr, cr = math.sin(self.roll * half), math.cos(self.roll * half)
        return Quat(
            cr * sp * sy - sr * cp * cy,
            -cr * sp * cy - sr * cp * sy,
            cr * cp * sy - sr * sp * cy,
            cr * cp * cy + sr * sp * sy,
        )

    def transform(self) -> Transform:
        """A transform with this rotation."""
        return Transform(rotation=self)


class Quat(StructBase):
    """A rotation quaternion."""

    _editor_properties_ = {"x": _fp(), "y": _fp(), "z": _fp(), "w": _fp(1.0)}
    x: float
    y: float
    z: float
    w: float

    def __init__(self, x: float = 0.0, y: float = 0.0, z: float = 0.0, w: float = 1.0) -> None:
        super().__init__(x, y, z, w)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quat):
            return NotImplemented
        return self.equals(other)

    __hash__ = None

    def __mul__(self, other: Quat) -> Quat:
        return self.multiply(other)

    def equals(self, b: Quat, tolerance: float = _TOLERANCE) -> bool:
        """Same rotation within `tolerance` (q and -q are equal)."""
        same = all(abs(p - q) <= tolerance for p, q in zip(self.to_tuple(), b.to_tuple()))
        flipped = all(abs(p + q) <= tolerance for p, q in zip(self.to_tuple(), b.to_tuple()))
        return same or flipped

    def multiply(self, b: Quat) -> Quat:
        """The Hamilton product self * b (apply b, then self)."""
        return Quat(
            self.w * b.x + self.x * b.w + self.y * b.z - self.z * b.y,
            self.w * b.y - self.x * b.z + self.y * b.w + self.z * b.x,
            self.w * b.z + self.x * b.y - self.y * b.x + self.z * b.w,
            self.w * b.w - self.x * b.x - self.y * b.y - self.z * b.z,
        )

    def inversed(self) -> Quat:
        """The inverse of a unit quaternion."""
        return Quat(-self.x, -self.y, -self.z, self.w)

    def size(self) -> float:
        """The quaternion's length."""
        return math.sqrt(self.x**2 + self.y**2 + self.z**2 + self.w**2)

    def normalized(self, tolerance: float = 1.0e-8) -> Quat:
        """A unit-length copy (identity when too short)."""
        size = self.size()
        if size * size <= tolerance:
            return Quat()
        return Quat(self.x / size, self.y / size, self.z / size, self.w / size)

    def is_identity(self, tolerance: float = _TOLERANCE) -> bool:
        """True for no rotation."""
        return self.equals(Quat(), tolerance)

    def rotate_vector(self, v: Vector) -> Vector:
        """`v` rotated by this quaternion."""
        qx, qy, qz = self.x, self.y, self.z
        tx, ty, tz = 2.0 * (qy * v.z - qz * v.y), 2.0 * (qz * v.x - qx * v.z), 2.0 * (qx * v.y - qy * v.x)
        return Vector(
            v.x + self.w * tx + (qy * tz - qz * ty),
            v.y + self.w * ty + (qz * tx - qx * tz),
            v.z + self.w * tz + (qx * ty - qy * tx),
        )

    def unrotate_vector(self, v: Vector) -> Vector:
        """`v` rotated by the inverse of this quaternion."""
        return self.inversed().rotate_vector(v)

    def rotator(self) -> Rotator:
        """This rotation as a Rotator (FQuat::Rotator)."""
        x, y, z, w = self.x, self.y, self.z, self.w
        singularity = z * x - w * y
        yaw = math.degrees(math.atan2(2.0 * (w * z + x * y), 1.0 - 2.0 * (y * y + z * z)))
        threshold = 0.4999995
        if singularity < -threshold:
            pitch = -90.0
            roll = _normalize_axis(-yaw - 2.0 * math.degrees(math.atan2(x, w)))
        elif singularity > threshold:
            pitch = 90.0
            roll = _normalize_axis(yaw - 2.0 * math.degrees(math.atan2(x, w)))
        else:
            pitch = math.degrees(math.asin(2.0 * singularity))
            roll = math.degrees(math.atan2(-2.0 * (w * x + y * z), 1.0 - 2.0 * (x * x + y * y)))
        return Rotator(roll, pitch, yaw)

    def euler(self) -> Vector:
        """(roll, pitch, yaw) in degrees as a Vector."""
        r = self.rotator()
        return Vector(r.roll, r.pitch, r.yaw)

    def get_axis_x(self) -> Vector:
        """The rotated X axis."""
        return self.rotate_vector(Vector(1.0, 0.0, 0.0))

    def get_axis_y(self) -> Vector:
        """The rotated Y axis."""
        return self.rotate_vector(Vector(0.0, 1.0, 0.0))

    def get_axis_z(self) -> Vector:
        """The rotated Z axis."""
        return self.rotate_vector(Vector(0.0, 0.0, 1.0))


Quat.IDENTITY = Quat()  # type: ignore[attr-defined]


def _as_quat(value: Any) -> Quat:
    if isinstance(value, Quat):
        return value
    if isinstance(value, Rotator):
        return value.quaternion()
    raise TypeError(f"expected a Quat or Rotator, got {type(value).__name__}")


def _as_vector(value: Any) -> Vector:
    if isinstance(value, Vector):
        return value
    if isinstance(value, (list, tuple)) and len(value) == 3:
        return Vector(*(_f(v) for v in value))
    raise TypeError(f"expected a Vector, got {type(value).__name__}")


class Transform(StructBase):
    """Translation, rotation and 3D scale; applied as scale, then rotate, then translate."""

    _editor_properties_ = {
        "rotation": prop(factory=Quat, coerce=_as_quat),
        "translation": prop(factory=Vector, coerce=_as_vector),
        "scale3d": prop(factory=lambda: Vector(1.0, 1.0, 1.0), coerce=_as_vector),
    }
    rotation: Quat
    translation: Vector
    scale3d: Vector

    def __init__(
        self,
        location: Optional[Vector] = None,
        rotation: Optional[Any] = None,
        scale: Optional[Vector] = None,
    ) -> None:
        super().__init__()
        if location is not None:
            self.translation = location
        if rotation is not None:
            self.rotation = rotation
        if scale is not None:
            self.scale3d = scale

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Transform):
            return NotImplemented
        return self.is_near_equal(other)

    __hash__ = None

    def __mul__(self, other: Transform) -> Transform:
        return self.multiply(other)

    def is_near_equal(
        self,
        b: Transform,
        location_tolerance: float = _TOLERANCE,
        rotation_tolerance: float = _TOLERANCE,
        scale3d_tolerance: float = _TOLERANCE,
    ) -> bool:
        """Equal within the given tolerances."""
        return (
            self.translation.is_near_equal(b.translation, location_tolerance)
            and self.rotation.equals(b.rotation, rotation_tolerance)
            and self.scale3d.is_near_equal(b.scale3d, scale3d_tolerance)
        )

    def equals(self, b: Transform) -> bool:
        """Equal within the editor's tolerance."""
        return self.is_near_equal(b)

    def transform_location(self, location: Vector) -> Vector:
        """A point from this transform's local space to its parent space."""
        return self.rotation.rotate_vector(location * self.scale3d) + self.translation

    def transform_direction(self, direction: Vector) -> Vector:
        """A direction from local to parent space (rotation only)."""
        return self.rotation.rotate_vector(direction)

    def inverse_transform_location(self, location: Vector) -> Vector:
        """A point from parent space back to this transform's local space."""
        local = self.rotation.unrotate_vector(location - self.translation)
        return local / self.scale3d

    def transform_rotation(self, rotation: Quat) -> Quat:
        """A local rotation expressed in parent space."""
        return self.rotation.multiply(rotation)

    def multiply(self, b: Transform) -> Transform:
        """self then b: the editor's A * B."""
        return Transform(
            b.transform_location(self.translation),
            b.rotation.multiply(self.rotation),
            self.scale3d * b.scale3d,
        )

    def inverse(self) -> Transform:
        """The transform that undoes this one (exact without non-uniform scale and rotation)."""
        inv_rotation = self.rotation.inversed()
        inv_scale = Vector(*(1.0 / s if s else 0.0 for s in self.scale3d.to_tuple()))
        inv_translation = inv_rotation.rotate_vector(-self.translation) * inv_scale
        return Transform(inv_translation, inv_rotation, inv_scale)
