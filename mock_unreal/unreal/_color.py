"""Colors: LinearColor (float RGBA, linear) and Color (8-bit BGRA, sRGB)."""

from __future__ import annotations

from typing import Any

from ._core import prop
from ._math import _Arith, _fp
from ._structs import StructBase


def _byte(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an int from 0 to 255, got {value!r}")
    if not 0 <= value <= 255:
        raise ValueError(f"color channel must be between 0 and 255, got {value}")
    return value


def _linear_to_srgb(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1.0 / 2.4) - 0.055


class LinearColor(_Arith):
    """A linear-space color with float channels."""

    _axes = ("r", "g", "b", "a")
    _editor_properties_ = {"r": _fp(), "g": _fp(), "b": _fp(), "a": _fp()}
    r: float
    g: float
    b: float
    a: float

    def __init__(self, r: float = 0.0, g: float = 0.0, b: float = 0.0, a: float = 0.0) -> None:
        super().__init__(r, g, b, a)

    def set_rgba(self, r: float, g: float, b: float, a: float = 1.0) -> None:
        """Set all four channels."""
        self.r, self.g, self.b, self.a = r, g, b, a

    def is_near_equal(self, b: LinearColor, tolerance: float = 1.0e-4) -> bool:
        """Equal within `tolerance` per channel."""
        return all(abs(x - y) <= tolerance for x, y in zip(self._c(), b._c()))

    def get_luminance(self) -> float:
        """Rec. 709 luminance."""
        return self.r * 0.3 + self.g * 0.59 + self.b * 0.11

    def get_max(self) -> float:
        """The largest channel."""
        return max(self._c())

    def get_min(self) -> float:
        """The smallest channel."""
        return min(self._c())

    def to_color(self, use_srgb: bool = True) -> Color:
        """The 8-bit color, gamma-encoded when `use_srgb`."""
        convert = _linear_to_srgb if use_srgb else (lambda c: min(max(c, 0.0), 1.0))
        r, g, b = (round(convert(c) * 255.0) for c in (self.r, self.g, self.b))
        return Color(b=b, g=g, r=r, a=round(min(max(self.a, 0.0), 1.0) * 255.0))

    def to_new_opacity(self, opacity: float) -> LinearColor:
        """A copy with alpha replaced."""
        return LinearColor(self.r, self.g, self.b, opacity)


LinearColor.WHITE = LinearColor(1.0, 1.0, 1.0, 1.0)  # type: ignore[attr-defined]
LinearColor.BLACK = LinearColor(0.0, 0.0, 0.0, 1.0)  # type: ignore[attr-defined]
LinearColor.RED = LinearColor(1.0, 0.0, 0.0, 1.0)  # type: ignore[attr-defined]
LinearColor.GREEN = LinearColor(0.0, 1.0, 0.0, 1.0)  # type: ignore[attr-defined]
LinearColor.BLUE = LinearColor(0.0, 0.0, 1.0, 1.0)  # type: ignore[attr-defined]
LinearColor.YELLOW = LinearColor(1.0, 1.0, 0.0, 1.0)  # type: ignore[attr-defined]
LinearColor.GRAY = LinearColor(0.5, 0.5, 0.5, 1.0)  # type: ignore[attr-defined]
LinearColor.TRANSPARENT = LinearColor(0.0, 0.0, 0.0, 0.0)  # type: ignore[attr-defined]


class Color(StructBase):
    """An 8-bit sRGB color; constructed as Color(b, g, r, a) like the editor's FColor."""

    _axes = ("b", "g", "r", "a")
    _editor_properties_ = {
        "b": prop(0, coerce=_byte),
        "g": prop(0, coerce=_byte),
        "r": prop(0, coerce=_byte),
        "a": prop(0, coerce=_byte),
    }
    b: int
    g: int
    r: int
    a: int

    def __init__(self, b: int = 0, g: int = 0, r: int = 0, a: int = 0) -> None:
        super().__init__(b, g, r, a)
