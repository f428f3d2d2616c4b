"""UObject: identity (name, outer, path), class objects, and the Python attribute rules of the editor."""

from __future__ import annotations

import itertools
from typing import Any, Dict, Optional

from . import _state
from ._containers import Name
from ._core import _WrapperBase, unreal_name

_counters: Dict[str, itertools.count[int]] = {}
_classes: Dict[type, Class] = {}

# The /Script module each class lives in, when it is not /Script/Engine.
_SCRIPT_MODULES = {
    "Object": "CoreUObject",
    "Class": "CoreUObject",
    "Package": "CoreUObject",
    "Blueprint": "Engine",
    "EditorAssetSubsystem": "EditorScriptingUtilities",
    "EditorActorSubsystem": "UnrealEd",
    "UnrealEditorSubsystem": "UnrealEd",
    "LevelEditorSubsystem": "LevelEditor",
    "AssetImportTask": "AssetTools",
    "MaterialFactoryNew": "UnrealEd",
    "MaterialInstanceConstantFactoryNew": "UnrealEd",
    "BlueprintFactory": "UnrealEd",
    "Texture2DFactoryNew": "UnrealEd",
    "FbxFactory": "UnrealEd",
    "TextureFactory": "UnrealEd",
    "SoundFactory": "UnrealEd",
    "GlobalEditorUtilityBase": "Blutility",
    "ToolMenus": "ToolMenus",
    "ToolMenuEntryScript": "ToolMenus",
}


def unique_name(class_name: str) -> str:
    """`StaticMeshActor_0`, `StaticMeshActor_1`, ... as the editor names new objects."""
    counter = _counters.setdefault(class_name, itertools.count())
    return f"{class_name}_{next(counter)}"


def reset_names() -> None:
    _counters.clear()


class _ObjectBase(_WrapperBase):
    """A UObject: named, inside an outer, with a class and editor properties."""

    _outer: Optional[_ObjectBase]
    _name: str

    def __init__(self, outer: Optional[_ObjectBase] = None, name: Any = "") -> None:
        self._init_props()
        object.__setattr__(self, "_outer", outer if outer is not None else transient_package())
        object.__setattr__(self, "_name", str(name) if name else unique_name(self._unreal_class_name()))
        self._post_init()

    def _post_init(self) -> None:
        """Called after construction, as the editor calls it on Python-generated classes."""

    def __setattr__(self, name: str, value: Any) -> None:
        # Editor-wrapped objects take no new Python attributes; classes written in Python may.
        cls = type(self)
        if name.startswith("_") or hasattr(cls, name) or not cls.__module__.startswith("mock_unreal."):
            object.__setattr__(self, name, value)
            return
        raise AttributeError(f"'{cls.__name__}' object has no attribute '{name}'")

    @classmethod
    def cast(cls, object: Any) -> Any:
        """`object` as this class; TypeError when it is not an instance of it."""
        if isinstance(object, cls):
            return object
        source = type(object).__name__
        raise TypeError(f"Cannot cast type '{source}' to '{unreal_name(cls)}'")

    @classmethod
    def get_default_object(cls) -> Any:
        """The class default object."""
        return class_of(cls)._cdo()

    @classmethod
    def static_class(cls) -> Class:
        """The Class object for this type."""
        return class_of(cls)

    def get_class(self) -> Class:
        """The Class object of this instance."""
        return class_of(type(self))

    def get_outer(self) -> Optional[_ObjectBase]:
        """The object this one lives in (its package, for an asset)."""
        return self._outer

    def get_typed_outer(self, type: Any) -> Optional[_ObjectBase]:
        """The nearest outer of the given class."""
        outer = self._outer
        wanted = resolve_class(type)
        while outer is not None and not isinstance(outer, wanted):
            outer = outer._outer
        return outer

    def get_outermost(self) -> _ObjectBase:
        """The package at the top of the outer chain."""
        obj: _ObjectBase = self
        while obj._outer is not None:
            obj = obj._outer
        return obj

    def is_package_external(self) -> bool:
        """False: the mock keeps no external packages."""
        return False

    def get_package(self) -> Any:
        """The package this object is saved in."""
        return self.get_outermost()

    def get_name(self) -> str:
        """The object name, e.g. `SM_Rock`."""
        return self._name

    def get_fname(self) -> Name:
        """The object name as a Name."""
        return Name(self._name)

    def get_path_name(self) -> str:
        """The full path, e.g. `/Game/Props/SM_Rock.SM_Rock`."""
        outer = self._outer
        if outer is None:
            return self._name
        separator = ":" if outer._outer is not None and outer._outer._outer is None else "."
        return f"{outer.get_path_name()}{separator}{self._name}"

    def get_full_name(self) -> str:
        """Class name and path, e.g. `StaticMesh /Game/Props/SM_Rock.SM_Rock`."""
        return f"{self._unreal_class_name()} {self.get_path_name()}"

    def get_world(self) -> Optional[Any]:
        """The world an actor or component is in; None for assets."""
        outer = self._outer
        while outer is not None:
            if type(outer).__name__ == "World":
                return outer
            outer = outer._outer
        return None

    def modify(self, always_mark_dirty: bool = True) -> bool:
        """Record the object for undo and mark its package dirty."""
        if always_mark_dirty:
            _state.mark_dirty(self)
        return True

    def rename(self, name: Any = "", outer: Optional[_ObjectBase] = None) -> bool:
        """Give the object a new name and, optionally, a new outer."""
        if name:
            object.__setattr__(self, "_name", str(name))
        if outer is not None:
            object.__setattr__(self, "_outer", outer)
        _state.mark_dirty(self)
        return True

    def _on_property_set(self, name: str) -> None:
        _state.mark_dirty(self)

    def call_method(self, name: str, args: Any = (), kwargs: Any = None) -> Any:
        """Call a method by name."""
        return getattr(self, name)(*args, **(kwargs or {}))

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<Object '{self.get_path_name()}' (0x{id(self):016X}) Class '{self._unreal_class_name()}'>"


class Object(_ObjectBase):
    """The root of the Unreal object hierarchy."""


class Package(Object):
    """A package: the unit assets are saved in; tracks dirty state."""

    def __init__(self, outer: Optional[_ObjectBase] = None, name: Any = "") -> None:
        self._init_props()
        object.__setattr__(self, "_outer", None)
        object.__setattr__(self, "_name", str(name))
        object.__setattr__(self, "_dirty", False)


class Field(Object):
    """Base of reflected types."""


class Struct(Field):
    """A reflected struct type."""


class Class(Struct):
    """The reflected class of a mock type; `get_name()` is the Unreal class name."""

    def __init__(self, outer: Optional[_ObjectBase] = None, name: Any = "") -> None:
        super().__init__(outer, name)
        object.__setattr__(self, "_python_type", None)

    _python_type: Any

    def get_class_path_name(self) -> Any:
        """The class path, e.g. `/Script/Engine.StaticMesh`, as a TopLevelAssetPath."""
        from ._assetdata import TopLevelAssetPath

        return TopLevelAssetPath(self._outer.get_name() if self._outer else "", self._name)

    def _cdo(self) -> Any:
        """The class default object, made on first use."""
        cdo = _state.PROJECT.default_objects.get(self._python_type)
        if cdo is None:
            cdo = self._python_type(name=f"Default__{self._name}")
            _state.PROJECT.default_objects[self._python_type] = cdo
        return cdo


_script_packages: Dict[str, Package] = {}
_transient: Dict[str, Package] = {}


def transient_package() -> Package:
    """`/Engine/Transient`, where objects made without an outer live."""
    if "pkg" not in _transient:
        _transient["pkg"] = Package(name="/Engine/Transient")
    return _transient["pkg"]


def class_of(python_type: type) -> Class:
    """The one Class object for a mock (or Python-generated) type."""
    found = _classes.get(python_type)
    if found is None:
        name = unreal_name(python_type)
        in_mock = python_type.__module__.startswith("mock_unreal.")
        module = _SCRIPT_MODULES.get(name, "Engine") if in_mock else "PythonTypes"
        package = _script_packages.setdefault(module, Package(name=f"/Script/{module}"))
        blueprint = python_type.__dict__.get("_blueprint_")
        if blueprint is not None:  # `/Game/BP/BP_Door.BP_Door_C` lives in the blueprint's package
            package = blueprint.get_outermost()
        found = Class.__new__(Class)
        object.__setattr__(found, "_props", {})
        object.__setattr__(found, "_outer", package)
        object.__setattr__(found, "_name", name)
        object.__setattr__(found, "_python_type", python_type)
        _classes[python_type] = found
    return found


def resolve_class(value: Any) -> type:
    """A Python type from a type, a Class object, or a class name or path string."""
    if isinstance(value, type):
        return value
    if isinstance(value, Class):
        return value._python_type
    if isinstance(value, (str, Name)):
        from . import _registry_types

        return _registry_types.type_by_name(str(value))
    raise TypeError(f"expected a class, got {type(value).__name__}")
