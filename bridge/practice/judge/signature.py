"""A problem's function signature: its name, typed parameters and return type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

from .types import ValueType, parse_type

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


@dataclass(frozen=True)
class Signature:
    function: str
    params: Tuple[Tuple[str, ValueType], ...]
    returns: ValueType

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> Signature:
        name = str(data["function"])
        params = tuple((str(p["name"]), parse_type(str(p["type"]))) for p in data["params"])
        for word in (name, *(p for p, _ in params)):
            if not IDENTIFIER.match(word):
                raise ValueError(f"not an identifier in every language: {word!r}")
        return cls(name, params, parse_type(str(data["returns"])))

    def to_dict(self) -> Dict[str, Any]:
        return {"function": self.function, "params": [{"name": n, "type": str(t)} for n, t in self.params],
                "returns": str(self.returns)}

    @property
    def names(self) -> List[str]:
        return [n for n, _ in self.params]
