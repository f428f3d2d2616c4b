"""`uclass`, `ustruct`, `uenum`, `uproperty`, `ufunction`, `uvalue`: Python-defined Unreal types."""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional

from . import _registry_types
from ._containers import Array, Map, Name, Set, Text
from ._core import EditorProperty, _attribute_for, _WrapperBase
from ._structs import EnumBase, StructBase, _EnumValue


class _UProperty:
    """What `unreal.uproperty(type)` returns; `@uclass`/`@ustruct` turn it into an editor property."""

    def __init__(self, type: Any) -> None:
        self.type = type

    def default(self) -> Any:
        t = self.type
        if isinstance(t, (Array, Map, Set)):
            return t.copy()
        if t in (str, int, float, bool):
            return t()
        if t in (Name, Text):
            return t()
        if isinstance(t, type) and issubclass(t, StructBase):
            return t()
        if isinstance(t, type) and issubclass(t, EnumBase):
            members = t._members_
            return members[0] if members else None
        return None  # object references start empty


def uproperty(
    type: Any,
    meta: Optional[Dict[str, Any]] = None,
    getter: Optional[str] = None,
    setter: Optional[str] = None,
) -> Any:
    """Declare an editor property inside a `@unreal.uclass()` or `@unreal.ustruct()` class."""
    if type is None:
        raise TypeError("uproperty needs a type, e.g. unreal.uproperty(str)")
    # meta, getter and setter change nothing a script can observe in the mock.
    return _UProperty(type)


def ufunction(
    meta: Optional[Dict[str, Any]] = None,
    ret: Any = None,
    params: Any = None,
    override: Any = None,
    static: Any = None,
    pure: Any = None,
    getter: Any = None,
    setter: Any = None,
) -> Callable[[Any], Any]:
    """Expose a method to Unreal; `static=True` makes it callable on the class, as in the editor."""
    if params is not None and not isinstance(params, (list, tuple)):
        raise TypeError(f"ufunction params must be a list of types, got {type(params).__name__}")

    def decorate(fn: Callable[..., Any]) -> Any:
        if not callable(fn):
            raise TypeError(f"@ufunction decorates a function, got {fn!r}")
        fn._ufunction_ = {  # type: ignore[attr-defined]
            "meta": meta or {},
            "ret": ret,
            "params": params,
            "override": bool(override),
            "static": bool(static),
        }
        return staticmethod(fn) if static else fn

    return decorate


def _promote_uproperties(cls: type) -> None:
    declared = {k: v for k, v in vars(cls).items() if isinstance(v, _UProperty)}
    merged = dict(getattr(cls, "_all_editor_properties_", {}))
    for name, decl in declared.items():
        merged[name] = EditorProperty(factory=decl.default)
        setattr(cls, name, _attribute_for(name))
    cls._all_editor_properties_ = merged  # type: ignore[attr-defined]


def uclass() -> Callable[[type], type]:
    """Make a Python subclass of an Unreal class a real (generated) Unreal class."""

    def decorate(cls: type) -> type:
        if not (isinstance(cls, type) and issubclass(cls, _WrapperBase)) or issubclass(
            cls, (StructBase, EnumBase)
        ):
            raise TypeError(f"@unreal.uclass() needs a subclass of an Unreal class, got {cls!r}")
        _promote_uproperties(cls)
        cls._unreal_name_ = cls.__name__  # type: ignore[attr-defined]
        _registry_types.register(cls)
        return cls

    return decorate


def ustruct() -> Callable[[type], type]:
    """Make a Python subclass of StructBase an Unreal struct."""

    def decorate(cls: type) -> type:
        if not (isinstance(cls, type) and issubclass(cls, StructBase)):
            raise TypeError(f"@unreal.ustruct() needs a subclass of unreal.StructBase, got {cls!r}")
        _promote_uproperties(cls)
        cls._unreal_name_ = cls.__name__  # type: ignore[attr-defined]
        _registry_types.register(cls)
        return cls

    return decorate


def uenum() -> Callable[[type], type]:
    """Make a Python subclass of EnumBase an Unreal enum."""

    def decorate(cls: type) -> type:
        if not (isinstance(cls, type) and issubclass(cls, EnumBase)):
            raise TypeError(f"@unreal.uenum() needs a subclass of unreal.EnumBase, got {cls!r}")
        _registry_types.register(cls)
        return cls

    return decorate


def uvalue(val: int, meta: Optional[Dict[str, Any]] = None) -> Any:
    """An enum member's value inside a `@unreal.uenum()` class."""
    if isinstance(val, bool) or not isinstance(val, int):
        raise TypeError(f"uvalue needs an int, got {val!r}")
    return _EnumValue(val, meta or {})
