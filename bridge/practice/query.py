"""Query-string parameters of the practice API's listings: a bad value is a 400 naming the parameter."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

from .errors import invalid

MAX_LIMIT = 100
MAX_OFFSET = 10**9


def whole_number(query: Dict[str, str], name: str, default: int, low: int, high: int) -> int:
    text = query.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise invalid(f"{name} must be a whole number, got {text!r}") from None
    if not low <= value <= high:
        raise invalid(f"{name} must be between {low} and {high}, got {value}")
    return value


def choice(query: Dict[str, str], name: str, allowed: Tuple[str, ...]) -> Optional[str]:
    value = query.get(name)
    if value is not None and value not in allowed:
        raise invalid(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def page(query: Dict[str, str], default_limit: int) -> Tuple[int, int]:
    """`limit` (1 to 100) and `offset` (0 up)."""
    return (whole_number(query, "limit", default_limit, 1, MAX_LIMIT),
            whole_number(query, "offset", 0, 0, MAX_OFFSET))
