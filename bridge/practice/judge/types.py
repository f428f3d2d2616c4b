"""The value types a problem's signature may use: int, float, string, bool, list<T>, map<string,T>."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

SCALARS = ("int", "float", "string", "bool")
FLOAT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class ValueType:
    """A parsed type: `kind` is a scalar name, "list" or "map"; `item` is the element (or value) type."""

    kind: str
    item: Optional[ValueType] = None

    def __str__(self) -> str:
        if self.kind == "list":
            return f"list<{self.item}>"
        if self.kind == "map":
            return f"map<string,{self.item}>"
        return self.kind


def parse_type(text: str) -> ValueType:
    """`list<list<int>>` -> ValueType; ValueError naming the part that is not a type."""
    t = text.replace(" ", "")
    if t in SCALARS:
        return ValueType(t)
    if t.startswith("list<") and t.endswith(">"):
        return ValueType("list", parse_type(t[5:-1]))
    if t.startswith("map<string,") and t.endswith(">"):
        return ValueType("map", parse_type(t[11:-1]))
    raise ValueError(f"not a value type: {text!r} (int, float, string, bool, list<T>, map<string,T>)")


def conforms(value: Any, vt: ValueType) -> bool:
    """Whether a test's JSON value has the type (so every harness can write it as a literal)."""
    if vt.kind == "int":
        return isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31
    if vt.kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if vt.kind == "string":
        return isinstance(value, str)
    if vt.kind == "bool":
        return isinstance(value, bool)
    assert vt.item is not None
    if vt.kind == "list":
        return isinstance(value, list) and all(conforms(v, vt.item) for v in value)
    return isinstance(value, dict) and all(isinstance(k, str) and conforms(v, vt.item) for k, v in value.items())


def matches(actual: Any, expected: Any, vt: ValueType) -> bool:
    """Typed comparison of a returned value with the expected one: floats within tolerance, maps by key."""
    if vt.kind == "float":
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            return False
        return math.isclose(actual, expected, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if vt.kind == "int":
        return isinstance(actual, int) and not isinstance(actual, bool) and actual == expected
    if vt.kind in ("string", "bool"):
        return type(actual) is type(expected) and actual == expected
    assert vt.item is not None
    if vt.kind == "list":
        return (isinstance(actual, list) and len(actual) == len(expected)
                and all(matches(a, e, vt.item) for a, e in zip(actual, expected)))
    return (isinstance(actual, dict) and set(actual) == set(expected)
            and all(matches(actual[k], expected[k], vt.item) for k in expected))
