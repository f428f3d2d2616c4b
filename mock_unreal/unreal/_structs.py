"""`StructBase` and `EnumBase`: value types, as the editor wraps USTRUCTs and UENUMs."""

from __future__ import annotations

import copy
from typing import Any, Dict, Iterator, List, Tuple

from ._core import _MockType, _WrapperBase


class StructBase(_WrapperBase):
    """A value type with editor properties in declaration order; positional or keyword construction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._init_props()
        names = list(type(self)._all_editor_properties_)
        if len(args) > len(names):
            raise TypeError(
                f"{type(self).__name__}() takes at most {len(names)} arguments ({len(args)} given)"
            )
        for name, value in zip(names, args):
            self.set_editor_property(name, value)
        for name, value in kwargs.items():
            self.set_editor_property(name, value)

    def _post_init(self) -> None:
        """Called after construction by the editor; nothing to do in the mock."""

    @classmethod
    def cast(cls, object: Any) -> Any:
        """`object` as this struct type; TypeError when it is not one."""
        if isinstance(object, cls):
            return object
        raise TypeError(f"Cannot cast type '{type(object).__name__}' to '{cls.__name__}'")

    @classmethod
    def static_struct(cls) -> Any:
        from ._objects import class_of

        return class_of(cls)

    def __copy__(self) -> Any:
        clone = type(self).__new__(type(self))
        object.__setattr__(clone, "_props", {k: copy.copy(v) for k, v in self._props.items()})
        return clone

    def copy(self) -> Any:
        """A copy of this struct."""
        return self.__copy__()

    def assign(self, other: Any) -> None:
        """Copy every property of `other` into this struct."""
        self._props.update(copy.copy(other._props))

    def to_tuple(self) -> Tuple[Any, ...]:
        """The property values in declaration order."""
        return tuple(self._props.values())

    def export_text(self) -> str:
        """The struct as Unreal export text, e.g. `(X=1.000000,Y=2.000000)`."""
        parts = []
        for name, value in self._props.items():
            text = f"{value:f}" if isinstance(value, float) else str(value)
            parts.append(f"{_export_name(name)}={text}")
        return "(" + ",".join(parts) + ")"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._props == other._props

    __hash__ = None  # type: ignore[assignment]  # mutable, like the editor's struct wrappers

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}: {_format_value(v)}" for k, v in self._props.items())
        return f"<Struct '{self._unreal_class_name()}' (0x{id(self):016X}) {{{fields}}}>"


def _export_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:f}"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


class _EnumType(_MockType):
    """Metaclass of enums: iteration over members, like the editor's enum types."""

    def __iter__(cls) -> Iterator[Any]:
        return iter(cls.__dict__.get("_members_", []))

    def __len__(cls) -> int:
        return len(cls.__dict__.get("_members_", []))


class EnumBase(_WrapperBase, metaclass=_EnumType):
    """An enum type; members are class attributes with `name` and `value`."""

    _members_: List[Any] = []
    name: str
    value: int

    def __init__(self) -> None:
        raise TypeError(f"{type(self).__name__} values are its class attributes; it cannot be instantiated")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        members: List[Any] = []
        for key, raw in list(cls.__dict__.items()):
            if key.startswith("_") or not isinstance(raw, (int, _EnumValue)):
                continue
            value = raw.value if isinstance(raw, _EnumValue) else raw
            member = object.__new__(cls)
            object.__setattr__(member, "_props", {})
            object.__setattr__(member, "name", key)
            object.__setattr__(member, "value", value)
            setattr(cls, key, member)
            members.append(member)
        cls._members_ = members

    @classmethod
    def cast(cls, object: Any) -> Any:
        """A member of this enum from a member or its integer value."""
        if isinstance(object, cls):
            return object
        for member in cls._members_:
            if member.value == object:
                return member
        raise TypeError(f"Cannot cast '{object!r}' to '{cls.__name__}'")

    @classmethod
    def static_enum(cls) -> Any:
        from ._objects import class_of

        return class_of(cls)

    def get_display_name(self) -> str:
        """The member's display name, e.g. `Yes No` for YES_NO."""
        return " ".join(part.capitalize() for part in self.name.split("_"))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EnumBase):
            return type(other) is type(self) and other.value == self.value
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.value))

    def __int__(self) -> int:
        return self.value

    def __copy__(self) -> Any:
        return self  # members are singletons, as in the editor: `is` comparisons must survive a copy

    def __deepcopy__(self, memo: Dict[int, Any]) -> Any:
        return self

    def __repr__(self) -> str:
        return f"<{self._unreal_class_name()}.{self.name}: {self.value}>"


class _EnumValue:
    """What `unreal.uvalue(...)` returns inside a `@unreal.uenum()` class."""

    def __init__(self, value: int, meta: Dict[str, Any]) -> None:
        self.value = value
        self.meta = meta
