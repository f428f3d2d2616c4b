"""StringLibrary and MathLibrary: the Blueprint string and math nodes scripts call most."""

from __future__ import annotations

import math
import random
from typing import Any

from ._containers import Array
from ._libraries import BlueprintFunctionLibrary


class StringLibrary(BlueprintFunctionLibrary):
    """Blueprint string functions."""

    @classmethod
    def to_upper(cls, source_string: str) -> str:
        """Upper case."""
        return source_string.upper()

    @classmethod
    def to_lower(cls, source_string: str) -> str:
        """Lower case."""
        return source_string.lower()

    @classmethod
    def len(cls, s: str) -> int:
        """Length."""
        return len(s)

    @classmethod
    def is_empty(cls, string: str) -> bool:
        """True for ''."""
        return not string

    @classmethod
    def concat_str_str(cls, a: str, b: str) -> str:
        """a + b"""
        return a + b

    @classmethod
    def contains(
        cls, search_in: str, substring: str, use_case: bool = False, search_from_end: bool = False
    ) -> bool:
        """Substring test, case-insensitive unless `use_case`."""
        return substring in search_in if use_case else substring.lower() in search_in.lower()

    @classmethod
    def starts_with(cls, source_string: str, prefix: str, search_case: Any = None) -> bool:
        """Prefix test, case-insensitive by default like the Blueprint node."""
        if search_case is not None and getattr(search_case, "name", "") == "CASE_SENSITIVE":
            return source_string.startswith(prefix)
        return source_string.lower().startswith(prefix.lower())

    @classmethod
    def ends_with(cls, source_string: str, suffix: str, search_case: Any = None) -> bool:
        """Suffix test, case-insensitive by default like the Blueprint node."""
        if search_case is not None and getattr(search_case, "name", "") == "CASE_SENSITIVE":
            return source_string.endswith(suffix)
        return source_string.lower().endswith(suffix.lower())

    @classmethod
    def replace(cls, source_string: str, from_: str, to: str, search_case: Any = None) -> str:
        """Replace every occurrence."""
        return source_string.replace(from_, to)

    @classmethod
    def left(cls, source_string: str, count: int) -> str:
        """The first `count` characters."""
        return source_string[: max(count, 0)]

    @classmethod
    def right(cls, source_string: str, count: int) -> str:
        """The last `count` characters."""
        return source_string[len(source_string) - count :] if count > 0 else ""

    @classmethod
    def mid(cls, source_string: str, start: int, count: int) -> str:
        """`count` characters from `start`."""
        return source_string[start : start + count]

    @classmethod
    def trim(cls, source_string: str) -> str:
        """Without leading whitespace (the Blueprint node's behaviour)."""
        return source_string.lstrip()

    @classmethod
    def parse_into_array(
        cls, source_string: str, delimiter: str = " ", cull_empty_strings: bool = True
    ) -> Array:
        """Split on a delimiter."""
        parts = source_string.split(delimiter)
        return Array.cast(str, [p for p in parts if p] if cull_empty_strings else parts)

    @classmethod
    def join_string_array(cls, source_array: Any, separator: str = " ") -> str:
        """Join with a separator."""
        return separator.join(source_array)


class MathLibrary(BlueprintFunctionLibrary):
    """Blueprint math functions."""

    @classmethod
    def clamp(cls, value: int, min: int, max: int) -> int:
        """`value` limited to [min, max]."""
        return value if min <= value <= max else (min if value < min else max)

    @classmethod
    def lerp(cls, a: float, b: float, alpha: float) -> float:
        """Linear interpolation."""
        return a + (b - a) * alpha

    @classmethod
    def map_range_clamped(
        cls, value: float, range_a: float, range_b: float, out_range_a: float, out_range_b: float
    ) -> float:
        """`value` mapped from one range to another, clamped."""
        if range_a == range_b:
            return out_range_b if value >= range_b else out_range_a
        alpha = min(max((value - range_a) / (range_b - range_a), 0.0), 1.0)
        return out_range_a + (out_range_b - out_range_a) * alpha

    @classmethod
    def random_integer(cls, max: int) -> int:
        """A random int in [0, max)."""
        return random.randrange(max) if max > 0 else 0

    @classmethod
    def random_integer_in_range(cls, min: int, max: int) -> int:
        """A random int in [min, max]."""
        return random.randint(min, max)

    @classmethod
    def random_float(cls) -> float:
        """A random float in [0, 1)."""
        return random.random()

    @classmethod
    def random_float_in_range(cls, min: float, max: float) -> float:
        """A random float in [min, max]."""
        return random.uniform(min, max)

    @classmethod
    def abs(cls, a: float) -> float:
        """Absolute value."""
        return abs(a)

    @classmethod
    def max(cls, a: int, b: int) -> int:
        """The larger."""
        return a if a >= b else b

    @classmethod
    def min(cls, a: int, b: int) -> int:
        """The smaller."""
        return a if a <= b else b

    @classmethod
    def round(cls, a: float) -> int:
        """Nearest int, halves away from zero."""
        return math.floor(a + 0.5) if a >= 0 else -math.floor(-a + 0.5)

    @classmethod
    def vector_distance(cls, v1: Any, v2: Any) -> float:
        """Distance between two vectors."""
        return v1.distance(v2)

    @classmethod
    def add_vector_vector(cls, a: Any, b: Any) -> Any:
        """a + b"""
        return a + b

    @classmethod
    def multiply_vector_float(cls, a: Any, b: float) -> Any:
        """a * b"""
        return a * b
