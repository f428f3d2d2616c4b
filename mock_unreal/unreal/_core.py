"""The base of every mock type: editor properties, and failing loudly on names the mock lacks."""

from __future__ import annotations

import copy
import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from .._stub_surface import lineage

# Real names mock_unreal knows exist but does not implement, kept by hand (not from the stub).
# When the stub surface is cached (see mock_unreal.conformance), it answers for every other name.
KNOWN_UNCOVERED_MODULE_NAMES = frozenset(
    {
        "LevelSequence",
        "LevelSequenceEditorBlueprintLibrary",
        "MovieSceneSequenceExtensions",
        "NiagaraSystem",
        "EditorValidatorSubsystem",
        "DataTable",
        "DataTableFunctionLibrary",
        "SkeletalMeshEditorSubsystem",
        "StaticMeshEditorSubsystem",
        "PhysicsAsset",
        "LandscapeProxy",
        "Landscape",
        "FoliageType",
        "SequencerTools",
        "PythonScriptLibrary",
        "RenderingLibrary",
        "InterchangeManager",
        "ObjectIterator",
        "ClassIterator",
        "TypeIterator",
    }
)


class _Missing:
    """Sentinel for "no default"."""


MISSING: Any = _Missing()


class EditorProperty:
    """Declares an editor property on a mock class: default value, and whether scripts may set it."""

    def __init__(
        self,
        default: Any = None,
        read_only: bool = False,
        attribute: bool = True,
        factory: Optional[Callable[[], Any]] = None,
        coerce: Optional[Callable[[Any], Any]] = None,
    ) -> None:
        self.default = default
        self.read_only = read_only
        # Protected C++ properties are reachable only through get/set_editor_property, not as attributes.
        self.attribute = attribute
        self.factory = factory
        self.coerce = coerce

    def make_default(self) -> Any:
        if self.factory is not None:
            return self.factory()
        return copy.copy(self.default)


def prop(
    default: Any = None,
    *,
    read_only: bool = False,
    attribute: bool = True,
    factory: Optional[Callable[[], Any]] = None,
    coerce: Optional[Callable[[Any], Any]] = None,
) -> EditorProperty:
    """Shorthand for declaring an editor property in a class's `_editor_properties_`."""
    return EditorProperty(default, read_only=read_only, attribute=attribute, factory=factory, coerce=coerce)


def hidden(
    default: Any = None,
    *,
    read_only: bool = False,
    factory: Optional[Callable[[], Any]] = None,
    coerce: Optional[Callable[[Any], Any]] = None,
) -> EditorProperty:
    """An editor property reachable only through get/set_editor_property (protected in C++)."""
    return EditorProperty(default, read_only=read_only, attribute=False, factory=factory, coerce=coerce)


# ---- what the real module has, when the stub surface is cached ---------------------------------

_surface_cache: Dict[str, Any] = {}


def _real_surface() -> Optional[Dict[str, Any]]:
    """The cached stub surface (written by mock_unreal.conformance), or None; never downloads."""
    if _surface_cache.get("surface") is not None:  # a miss is retried: the cache may appear later
        return _surface_cache["surface"]
    from .._stub_surface import cached_surfaces, read_surface

    found = cached_surfaces()
    surface = None
    if found:
        try:
            surface = read_surface(found[-1])
        except (OSError, ValueError):
            surface = None
    _surface_cache["surface"] = surface
    return surface


def real_module_has(name: str) -> bool:
    if name in KNOWN_UNCOVERED_MODULE_NAMES:
        return True
    surface = _real_surface()
    return bool(surface) and (
        name in surface["classes"] or name in surface["functions"] or name in surface["names"]  # type: ignore[index]
    )


def real_class_has(class_names: Tuple[str, ...], member: str) -> bool:
    surface = _real_surface()
    if not surface:
        return False
    return any(member in cls["members"] for cls in lineage(surface, class_names))


def not_covered(what: str) -> NotImplementedError:
    return NotImplementedError(
        f"{what} exists in Unreal's Python API but mock_unreal does not cover it yet; "
        "run this script in the editor, or add it to mock_unreal"
    )


def unreal_name(cls: type) -> str:
    """The name Unreal knows a mock type by: its own `_unreal_name_` (never a base's), else the Python name."""
    return cls.__dict__.get("_unreal_name_", cls.__name__)


def missing_attribute(owner: Any, name: str) -> AttributeError:
    """The error for `owner.name`: NotImplementedError when Unreal has that name, else AttributeError."""
    cls = owner if isinstance(owner, type) else type(owner)
    kind = "type object" if isinstance(owner, type) else "object"
    if name.startswith("_"):
        return AttributeError(f"'{cls.__name__}' {kind} has no attribute '{name}'")
    unreal_names = tuple(unreal_name(c) for c in cls.__mro__ if c is not object)
    if real_class_has(unreal_names, name):
        return not_covered(f"unreal.{unreal_names[0]}.{name}")  # type: ignore[return-value]
    return AttributeError(f"'{cls.__name__}' {kind} has no attribute '{name}'")


class _MockType(type):
    """Metaclass: class-level lookups of real-but-uncovered names raise NotImplementedError."""

    def __getattr__(cls, name: str) -> Any:
        raise missing_attribute(cls, name)


class _WrapperBase(metaclass=_MockType):
    """Base of every wrapped Unreal type; holds editor properties."""

    _editor_properties_: Dict[str, EditorProperty] = {}
    _props: Dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__.get("_editor_properties_")
        merged: Dict[str, EditorProperty] = {}
        for base in reversed(cls.__mro__[1:]):
            merged.update(getattr(base, "_all_editor_properties_", {}))
        if declared:
            merged.update(declared)
        cls._all_editor_properties_ = merged
        for name, spec in (declared or {}).items():
            if spec.attribute and name not in cls.__dict__:
                setattr(cls, name, _attribute_for(name))
        owned: List[str] = []
        for klass in reversed(cls.__mro__):
            owned += [n for n in klass.__dict__.get("_copied_state_", ()) if n not in owned]
        cls._all_copied_state_ = tuple(owned)

    _all_editor_properties_: Dict[str, EditorProperty] = {}
    # Private attributes a class keeps beside its editor properties (a material's nodes, an instance's
    # parameter overrides...), declared where they are made so that a duplicate takes every one along.
    _copied_state_: Tuple[str, ...] = ()
    _all_copied_state_: Tuple[str, ...] = ()  # _copied_state_ of the class and its bases

    def _init_props(self, overrides: Optional[Dict[str, Any]] = None) -> None:
        props = {name: spec.make_default() for name, spec in type(self)._all_editor_properties_.items()}
        object.__setattr__(self, "_props", props)
        for name, value in (overrides or {}).items():
            self.set_editor_property(name, value)

    def _unreal_class_name(self) -> str:
        return unreal_name(type(self))

    def _property_key(self, name: Any) -> str:
        """The Python name of a property given by its Python or its C++ name (`parent_class`, `ParentClass`)."""
        known = type(self)._all_editor_properties_
        key = str(name)
        if key in known:
            return key
        python_name = pythonize(key)
        if python_name in known:
            return python_name
        owner = self._unreal_class_name()
        raise Exception(f"{owner}: Failed to find property '{key}' for attribute '{key}' on '{owner}'")

    def _property_spec(self, name: str) -> EditorProperty:
        return type(self)._all_editor_properties_[self._property_key(name)]

    def get_editor_property(self, name: Any) -> Any:
        """An editor property by its Python or C++ name; unknown names raise Exception, as in the editor."""
        return self._props[self._property_key(name)]

    def set_editor_property(self, name: Any, value: Any, notify_mode: Any = None) -> None:
        """Set an editor property by its Python or C++ name; unknown or read-only names raise Exception."""
        key = self._property_key(name)
        spec = type(self)._all_editor_properties_[key]
        if spec.read_only:
            owner = self._unreal_class_name()
            raise Exception(
                f"{owner}: Property '{key}' for attribute '{key}' on '{owner}' is read-only and cannot be set"
            )
        value = spec.coerce(value) if spec.coerce is not None else _convert_like(self._props.get(key), value, key)
        self._props[key] = value
        self._on_property_set(key)

    def set_editor_properties(self, properties: Dict[str, Any]) -> None:
        """Set several editor properties from a dict."""
        for name, value in properties.items():
            self.set_editor_property(name, value)

    def _on_property_set(self, name: str) -> None:
        """Hook: objects mark their package dirty."""

    def __getattr__(self, name: str) -> Any:
        raise missing_attribute(self, name)


_WORD_START = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def pythonize(cpp_name: str) -> str:
    """A C++ property name as the editor names it in Python: `ParentClass` -> `parent_class`, `bHidden` -> `hidden`."""
    name = cpp_name[1:] if len(cpp_name) > 1 and cpp_name[0] == "b" and cpp_name[1].isupper() else cpp_name
    return _WORD_START.sub("_", name).lower()


def _convert_like(current: Any, value: Any, key: str) -> Any:
    """Convert `value` to the property's type as the editor does, or raise its TypeError."""
    kind = type(current)
    if kind.__name__ == "Array" and kind.__module__.startswith("mock_unreal."):
        if isinstance(value, (list, tuple)) or type(value) is kind:
            return kind.cast(current._type, value)
    elif isinstance(current, str) and not isinstance(value, str):
        if type(value).__name__ not in ("Name", "Text"):
            raise TypeError(
                f"NativizeProperty: Cannot nativize '{type(value).__name__}' as 'Str' (property '{key}')"
            )
        return str(value)
    elif isinstance(current, bool) and not isinstance(value, (bool, int)):
        raise TypeError(
            f"NativizeProperty: Cannot nativize '{type(value).__name__}' as 'Bool' (property '{key}')"
        )
    elif any(c.__name__ == "EnumBase" for c in kind.__mro__[1:]) and not isinstance(value, kind):
        got = type(value).__name__
        raise TypeError(f"NativizeProperty: Cannot nativize '{got}' as '{kind.__name__}' (property '{key}')")
    return value


def _attribute_for(name: str) -> property:
    """A Python attribute over an editor property, as the editor exposes Blueprint-visible ones."""

    def getter(self: _WrapperBase) -> Any:
        return self._props[name]

    def setter(self: _WrapperBase, value: Any) -> None:
        self.set_editor_property(name, value)

    return property(getter, setter)
