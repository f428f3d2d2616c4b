"""The typed containers Array, Map and Set; they check and convert elements as the editor does."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from ._core import MISSING, _WrapperBase
from ._names import Name, Text

__all__ = ["Array", "Map", "Name", "Set", "Text"]


def _coercer(element_type: Any) -> Callable[[Any], Any]:
    """How a container converts a Python value to its element type, as the editor does."""
    if element_type is str:

        def to_str(value: Any) -> str:
            if isinstance(value, (str, Name, Text)):
                return str(value)
            raise TypeError(f"expected 'str', got '{type(value).__name__}'")

        return to_str
    if element_type is float:

        def to_float(value: Any) -> float:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            raise TypeError(f"expected 'float', got '{type(value).__name__}'")

        return to_float
    if element_type is Name or element_type is Text:
        return lambda value: element_type.cast(value)
    if isinstance(element_type, type):

        def check(value: Any) -> Any:
            if (
                value is None
                and issubclass(element_type, _WrapperBase)
                and not hasattr(element_type, "_axes")
            ):
                return None  # object references may be None
            if isinstance(value, element_type):
                return value
            raise TypeError(f"expected '{element_type.__name__}', got '{type(value).__name__}'")

        return check
    raise TypeError(f"container element type must be a type, got {element_type!r}")


class Array(_WrapperBase):
    """A typed TArray: a mutable sequence that checks element types."""

    def __init__(self, type: Any) -> None:
        object.__setattr__(self, "_props", {})
        object.__setattr__(self, "_type", type)
        object.__setattr__(self, "_coerce", _coercer(type))
        object.__setattr__(self, "_items", [])

    _items: List[Any]
    _type: Any
    _coerce: Callable[[Any], Any]

    @classmethod
    def __class_getitem__(cls, args: Any = None) -> Any:
        return cls

    @classmethod
    def cast(cls, type: Any, obj: Iterable[Any]) -> Array:
        """An Array of `type` holding the items of `obj`."""
        result = cls(type)
        result.extend(obj)
        return result

    def __copy__(self) -> Array:
        return Array.cast(self._type, self._items)

    def copy(self) -> Array:
        """A shallow copy."""
        return self.__copy__()

    def append(self, value: Any) -> None:
        """Add `value` at the end."""
        self._items.append(self._coerce(value))

    def extend(self, values: Iterable[Any]) -> None:
        """Add every item of `values`."""
        self._items.extend(self._coerce(v) for v in values)

    def insert(self, index: int, value: Any) -> None:
        """Insert `value` before `index`."""
        self._items.insert(index, self._coerce(value))

    def count(self, value: Any) -> int:
        """How many items equal `value`."""
        return self._items.count(value)

    def index(self, value: Any, start: int = 0, stop: Optional[int] = None) -> int:
        """The first index of `value`."""
        return self._items.index(value, start, len(self._items) if stop is None else stop)

    def pop(self, index: int = -1) -> Any:
        """Remove and return the item at `index`."""
        return self._items.pop(index)

    def clear(self) -> None:
        """Remove every item."""
        self._items.clear()

    def remove(self, value: Any) -> None:
        """Remove the first item equal to `value`."""
        self._items.remove(value)

    def reverse(self) -> None:
        """Reverse in place."""
        self._items.reverse()

    def sort(self, key: Optional[Callable[[Any], Any]] = None, reverse: bool = False) -> None:
        """Sort in place."""
        self._items.sort(key=key, reverse=reverse)

    def resize(self, len: int) -> None:
        """Grow with default values or shrink to `len` items."""
        del self._items[len:]
        while builtins_len(self._items) < len:
            self._items.append(self._type() if self._type is not None else None)

    def __len__(self) -> int:
        return builtins_len(self._items)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._items))

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return Array.cast(self._type, self._items[index])
        return self._items[index]

    def __setitem__(self, index: Any, value: Any) -> None:
        self._items[index] = self._coerce(value)

    def __delitem__(self, index: Any) -> None:
        del self._items[index]

    def __contains__(self, value: object) -> bool:
        return value in self._items

    def __add__(self, other: Iterable[Any]) -> Array:
        result = self.copy()
        result.extend(other)
        return result

    def __iadd__(self, other: Iterable[Any]) -> Array:
        self.extend(other)
        return self

    def __bool__(self) -> bool:
        return bool(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Array):
            return self._items == other._items
        if isinstance(other, list):
            return self._items == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "[" + ", ".join(repr(i) for i in self._items) + "]"


builtins_len = len


class Map(_WrapperBase):
    """A typed TMap."""

    _items: Dict[Any, Any]

    def __init__(self, key: Any, value: Any) -> None:
        object.__setattr__(self, "_props", {})
        object.__setattr__(self, "_types", (key, value))
        object.__setattr__(self, "_coerce_key", _coercer(key))
        object.__setattr__(self, "_coerce_value", _coercer(value))
        object.__setattr__(self, "_items", {})

    @classmethod
    def __class_getitem__(cls, args: Any = None) -> Any:
        return cls

    @classmethod
    def cast(cls, key: Any, value: Any, obj: Any) -> Map:
        """A Map of `key` to `value` holding the items of the mapping `obj`."""
        result = cls(key, value)
        result.update(obj)
        return result

    def __copy__(self) -> Map:
        return Map.cast(self._types[0], self._types[1], self._items)

    def copy(self) -> Map:
        """A shallow copy."""
        return self.__copy__()

    def clear(self) -> None:
        """Remove every item."""
        self._items.clear()

    def get(self, key: Any, default: Any = None) -> Any:
        """The value for `key`, or `default`."""
        return self._items.get(key, default)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """The value for `key`, inserting `default` first when missing."""
        if key not in self._items:
            self[key] = default
        return self._items[key]

    def pop(self, key: Any, default: Any = MISSING) -> Any:
        """Remove `key` and return its value (or `default`)."""
        if default is MISSING:
            return self._items.pop(key)
        return self._items.pop(key, default)

    def popitem(self) -> Tuple[Any, Any]:
        """Remove and return the last (key, value) pair."""
        return self._items.popitem()

    def update(self, pairs: Any) -> None:
        """Add the items of a mapping or of (key, value) pairs."""
        items = pairs.items() if hasattr(pairs, "items") else pairs
        for k, v in items:
            self[k] = v

    def items(self) -> Any:
        """(key, value) pairs."""
        return self._items.items()

    def keys(self) -> Any:
        """The keys."""
        return self._items.keys()

    def values(self) -> Any:
        """The values."""
        return self._items.values()

    def __getitem__(self, key: Any) -> Any:
        return self._items[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._items[self._coerce_key(key)] = self._coerce_value(value)

    def __delitem__(self, key: Any) -> None:
        del self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Map, dict)):
            return self._items == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {v!r}" for k, v in self._items.items()) + "}"


class Set(_WrapperBase):
    """A typed TSet."""

    _items: set[Any]

    def __init__(self, type: Any) -> None:
        object.__setattr__(self, "_props", {})
        object.__setattr__(self, "_type", type)
        object.__setattr__(self, "_coerce", _coercer(type))
        object.__setattr__(self, "_items", set())

    @classmethod
    def __class_getitem__(cls, args: Any = None) -> Any:
        return cls

    @classmethod
    def cast(cls, type: Any, obj: Iterable[Any]) -> Set:
        """A Set of `type` holding the items of `obj`."""
        result = cls(type)
        for item in obj:
            result.add(item)
        return result

    def _new(self, items: Iterable[Any]) -> Set:
        return Set.cast(self._type, items)

    def __copy__(self) -> Set:
        return self._new(self._items)

    def copy(self) -> Set:
        """A shallow copy."""
        return self.__copy__()

    def add(self, value: Any) -> None:
        """Add `value`."""
        self._items.add(self._coerce(value))

    def discard(self, value: Any) -> None:
        """Remove `value` if present."""
        self._items.discard(value)

    def remove(self, value: Any) -> None:
        """Remove `value`; KeyError when absent."""
        self._items.remove(value)

    def pop(self) -> Any:
        """Remove and return an arbitrary item."""
        return self._items.pop()

    def clear(self) -> None:
        """Remove every item."""
        self._items.clear()

    def union(self, *iterables: Iterable[Any]) -> Set:
        """Items in this set or any of `iterables`."""
        return self._new(self._items.union(*iterables))

    def intersection(self, *iterables: Iterable[Any]) -> Set:
        """Items in this set and all of `iterables`."""
        return self._new(self._items.intersection(*iterables))

    def difference(self, *iterable: Iterable[Any]) -> Set:
        """Items in this set but none of `iterable`."""
        return self._new(self._items.difference(*iterable))

    def update(self, *iterables: Iterable[Any]) -> None:
        """Add the items of every iterable."""
        for it in iterables:
            for item in it:
                self.add(item)

    def issubset(self, other: Iterable[Any]) -> bool:
        """Every item is in `other`."""
        return self._items.issubset(other)

    def issuperset(self, other: Iterable[Any]) -> bool:
        """Every item of `other` is in this set."""
        return self._items.issuperset(other)

    def isdisjoint(self, other: Iterable[Any]) -> bool:
        """No item in common with `other`."""
        return self._items.isdisjoint(other)

    def __contains__(self, value: object) -> bool:
        return value in self._items

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Set, set, frozenset)):
            return self._items == set(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "{" + ", ".join(repr(i) for i in self._items) + "}"
