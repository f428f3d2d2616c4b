"""AssetData and the path structs the asset registry speaks in."""

from __future__ import annotations

from typing import Any, Optional

from ._containers import Name
from ._core import prop
from ._structs import StructBase


class TopLevelAssetPath(StructBase):
    """A class or asset path split as package and asset name, e.g. `/Script/Engine` + `StaticMesh`."""

    _editor_properties_ = {
        "package_name": prop(factory=Name, coerce=Name.cast),
        "asset_name": prop(factory=Name, coerce=Name.cast),
    }
    package_name: Name
    asset_name: Name

    def __init__(self, package_name: Any = "", asset_name: Any = "") -> None:
        super().__init__()
        text = str(package_name)
        if not asset_name and "." in text:
            text, asset_name = text.split(".", 1)
        self.package_name = Name(text)
        self.asset_name = Name(asset_name)

    def __str__(self) -> str:
        if not str(self.asset_name):
            return str(self.package_name)
        return f"{self.package_name}.{self.asset_name}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TopLevelAssetPath):
            return str(self).lower() == str(other).lower()
        return NotImplemented

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(str(self).lower())


class SoftObjectPath(StructBase):
    """A path to an object that may not be loaded."""

    def __init__(self, path_string: str = "") -> None:
        super().__init__()
        object.__setattr__(self, "_path", str(path_string))

    def __str__(self) -> str:
        return self._path

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SoftObjectPath):
            return str(self) == str(other)
        return NotImplemented

    __hash__ = None


class AssetData(StructBase):
    """What the asset registry knows about an asset without loading it."""

    _editor_properties_ = {
        "package_name": prop(factory=Name, read_only=True),
        "package_path": prop(factory=Name, read_only=True),
        "asset_name": prop(factory=Name, read_only=True),
        "asset_class": prop(factory=Name, read_only=True),
        "asset_class_path": prop(factory=TopLevelAssetPath, read_only=True),
    }
    package_name: Name
    package_path: Name
    asset_name: Name
    asset_class: Name
    asset_class_path: TopLevelAssetPath

    def __init__(
        self,
        package_name: Any = "",
        package_path: Any = "",
        asset_name: Any = "",
        asset_class_path: Optional[TopLevelAssetPath] = None,
    ) -> None:
        super().__init__()
        class_path = asset_class_path if asset_class_path is not None else TopLevelAssetPath()
        self._props.update(
            {
                "package_name": Name(package_name),
                "package_path": Name(package_path),
                "asset_name": Name(asset_name),
                "asset_class": Name(class_path.asset_name),
                "asset_class_path": class_path,
            }
        )

    def _object_path(self) -> str:
        return f"{self.package_name}.{self.asset_name}"

    def is_valid(self) -> bool:
        """True when the data names an asset."""
        return not self.asset_name.is_none()

    def is_u_asset(self) -> bool:
        """True for a package's main asset."""
        return self.is_valid()

    def is_redirector(self) -> bool:
        """True for a redirector left by a rename."""
        return str(self.asset_class) == "ObjectRedirector"

    def is_asset_loaded(self) -> bool:
        """The mock keeps every asset loaded."""
        return self.is_valid()

    def get_full_name(self) -> str:
        """Class and object path, e.g. `StaticMesh /Game/A/SM_A.SM_A`."""
        return f"{self.asset_class} {self._object_path()}"

    def get_export_text_name(self) -> str:
        """Export text, e.g. `/Script/Engine.StaticMesh'/Game/A/SM_A.SM_A'`."""
        return f"{self.asset_class_path}'{self._object_path()}'"

    def to_soft_object_path(self) -> SoftObjectPath:
        """The object path as a SoftObjectPath."""
        return SoftObjectPath(self._object_path())

    def get_class(self) -> Any:
        """The asset's Class."""
        from ._objects import class_of
        from ._registry_types import type_by_name

        return class_of(type_by_name(str(self.asset_class_path)))

    def get_tag_value(self, tag_name: Any) -> tuple[bool, str]:
        """(found, value) of an asset registry tag (metadata tags in the mock)."""
        asset = self.get_asset()
        tags = getattr(asset, "_metadata", {}) if asset is not None else {}
        key = str(tag_name)
        return (key in tags, tags.get(key, ""))

    def get_asset(self) -> Any:
        """The asset itself (None if it no longer exists)."""
        from . import _assets

        return _assets.find(self._object_path())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AssetData):
            return self._object_path() == other._object_path()
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return (
            f"<Struct 'AssetData' (0x{id(self):016X}) {{package_name: \"{self.package_name}\", "
            f'package_path: "{self.package_path}", asset_name: "{self.asset_name}", '
            f"asset_class_path: {self.asset_class_path}}}>"
        )
