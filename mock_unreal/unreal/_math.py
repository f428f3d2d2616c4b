"""Math structs with real arithmetic: Vector, Vector2D, Rotator, Quat, Transform."""

from __future__ import annotations

import math
from typing import Any, Tuple

from ._core import prop
from ._structs import StructBase

_TOLERANCE = 1.0e-4  # the editor's __eq__ on math structs compares within KINDA_SMALL_NUMBER


def _f(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a float, got {type(value).__name__}")
    return float(value)


def _fp(default: float = 0.0) -> Any:
    return prop(default, coerce=_f)


class _Arith(StructBase):
    """Component-wise arithmetic shared by vectors and linear colors."""

    _axes: Tuple[str, ...] = ()

    def _c(self) -> Tuple[float, ...]:
        return tuple(self._props[a] for a in self._axes)

    def _new(self, values: Any) -> Any:
        return type(self)(*values)

    def _other(self, other: Any) -> Tuple[float, ...]:
        if isinstance(other, type(self)):
            return other._c()
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            return tuple(float(other) for _ in self._axes)
        raise TypeError(f"unsupported operand type for {type(self).__name__}: '{type(other).__name__}'")

    def __add__(self, other: Any) -> Any:
        return self._new(a + b for a, b in zip(self._c(), self._other(other)))

    def __sub__(self, other: Any) -> Any:
        return self._new(a - b for a, b in zip(self._c(), self._other(other)))

    def __mul__(self, other: Any) -> Any:
        return self._new(a * b for a, b in zip(self._c(), self._other(other)))

    def __truediv__(self, other: Any) -> Any:
        return self._new(a / b for a, b in zip(self._c(), self._other(other)))

    def __iadd__(self, other: Any) -> Any:
        return self.__add__(other)

    def __isub__(self, other: Any) -> Any:
        return self.__sub__(other)

    def __imul__(self, other: Any) -> Any:
        return self.__mul__(other)

    def __neg__(self) -> Any:
        return self._new(-a for a in self._c())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return all(abs(a - b) <= _TOLERANCE for a, b in zip(self._c(), other._c()))

    __hash__ = None

    def add(self, b: Any) -> Any:
        """self + b"""
        return self + b

    def subtract(self, b: Any) -> Any:
        """self - b"""
        return self - b

    def multiply(self, b: Any) -> Any:
        """Component-wise self * b."""
        return self * b

    def multiply_float(self, b: float) -> Any:
        """self scaled by b."""
        return self * b

    def equals(self, b: Any) -> bool:
        """Equality within the editor's tolerance."""
        return self == b

    def not_equal(self, b: Any) -> bool:
        """Inequality within the editor's tolerance."""
        return self != b

    def is_near_equal(self, b: Any, error_tolerance: float = _TOLERANCE) -> bool:
        """Equality within `error_tolerance`."""
        return all(abs(x - y) <= error_tolerance for x, y in zip(self._c(), b._c()))


class _VectorOps(_Arith):
    """Geometry shared by Vector and Vector2D."""

    def dot(self, b: Any) -> float:
        """The dot product."""
        return sum(x * y for x, y in zip(self._c(), b._c()))

    def length_squared(self) -> float:
        """Squared length."""
        return self.dot(self)

    def length(self) -> float:
        """Length."""
        return math.sqrt(self.length_squared())

    def distance(self, v2: Any) -> float:
        """Distance to v2."""
        return (self - v2).length()

    def distance_squared(self, v2: Any) -> float:
        """Squared distance to v2."""
        return (self - v2).length_squared()

    def is_zero(self) -> bool:
        """Every component exactly zero."""
        return all(a == 0.0 for a in self._c())

    def is_nearly_zero(self, tolerance: float = _TOLERANCE) -> bool:
        """Every component within `tolerance` of zero."""
        return all(abs(a) <= tolerance for a in self._c())

    def normal(self, tolerance: float = 1.0e-8) -> Any:
        """A unit-length copy, or zero when too short."""
        size_sq = self.length_squared()
        if size_sq <= tolerance:
            return self._new(0.0 for _ in self._axes)
        return self * (1.0 / math.sqrt(size_sq))

    def normalize(self, tolerance: float = 1.0e-8) -> bool:
        """Make this unit length in place; False (and unchanged) when too short."""
        size_sq = self.length_squared()
        if size_sq <= tolerance:
            return False
        self.assign(self * (1.0 / math.sqrt(size_sq)))
        return True

    def negated(self) -> Any:
        """-self"""
        return -self

    def get_abs(self) -> Any:
        """Component-wise absolute value."""
        return self._new(abs(a) for a in self._c())

    def truncated(self) -> Any:
        """Components truncated toward zero."""
        return self._new(float(int(a)) for a in self._c())


class Vector(_VectorOps):
    """A 3D vector."""

    _axes = ("x", "y", "z")
    _editor_properties_ = {"x": _fp(), "y": _fp(), "z": _fp()}
    x: float
    y: float
    z: float

    def __init__(self, x: float = 0.0, y: float = 0.0, z: float = 0.0) -> None:
        super().__init__(x, y, z)

    def __or__(self, other: Any) -> float:
        return self.dot(other)

    def __xor__(self, other: Any) -> Any:
        return self.cross(other)

    def cross(self, b: Any) -> Vector:
        """The cross product."""
        return Vector(self.y * b.z - self.z * b.y, self.z * b.x - self.x * b.z, self.x * b.y - self.y * b.x)

    def set(self, x: float, y: float, z: float) -> None:
        """Set all three components."""
        self.x, self.y, self.z = x, y, z

    def length2d(self) -> float:
        """Length in the XY plane."""
        return math.hypot(self.x, self.y)

    def distance2d(self, v2: Vector) -> float:
        """Distance to v2 in the XY plane."""
        return math.hypot(self.x - v2.x, self.y - v2.y)

    def get_max_element(self) -> float:
        """The largest component."""
        return max(self._c())

    def get_min_element(self) -> float:
        """The smallest component."""
        return min(self._c())

    def rotator(self) -> Any:
        """The rotation that points along this vector (no roll)."""
        from ._rotation import Rotator

        yaw = math.degrees(math.atan2(self.y, self.x))
        pitch = math.degrees(math.atan2(self.z, math.hypot(self.x, self.y)))
        return Rotator(0.0, pitch, yaw)

    def vector2d(self) -> Vector2D:
        """The XY components."""
        return Vector2D(self.x, self.y)


Vector.ZERO = Vector()  # type: ignore[attr-defined]
Vector.ONE = Vector(1.0, 1.0, 1.0)  # type: ignore[attr-defined]
Vector.UP = Vector(0.0, 0.0, 1.0)  # type: ignore[attr-defined]
Vector.DOWN = Vector(0.0, 0.0, -1.0)  # type: ignore[attr-defined]
Vector.FORWARD = Vector(1.0, 0.0, 0.0)  # type: ignore[attr-defined]
Vector.BACKWARD = Vector(-1.0, 0.0, 0.0)  # type: ignore[attr-defined]
Vector.RIGHT = Vector(0.0, 1.0, 0.0)  # type: ignore[attr-defined]
Vector.LEFT = Vector(0.0, -1.0, 0.0)  # type: ignore[attr-defined]


class Vector2D(_VectorOps):
    """A 2D vector."""

    _axes = ("x", "y")
    _editor_properties_ = {"x": _fp(), "y": _fp()}
    x: float
    y: float

    def __init__(self, x: float = 0.0, y: float = 0.0) -> None:
        super().__init__(x, y)

    def set(self, x: float, y: float) -> None:
        """Set both components."""
        self.x, self.y = x, y

    def cross(self, b: Vector2D) -> float:
        """The 2D cross product (a scalar)."""
        return self.x * b.y - self.y * b.x

    def vector(self, z: float = 0.0) -> Vector:
        """A 3D vector with this XY and the given Z."""
        return Vector(self.x, self.y, z)


Vector2D.ZERO = Vector2D()  # type: ignore[attr-defined]
Vector2D.ONE = Vector2D(1.0, 1.0)  # type: ignore[attr-defined]
