"""AssetTools: create assets with factories, import real files from disk, rename and duplicate."""

from __future__ import annotations

import os
import re
import struct
import wave
from typing import Any, Dict, List, Optional, Tuple

from . import _assets
from ._asset_types import (
    Blueprint,
    DataAsset,
    Material,
    MaterialInstanceConstant,
    SkeletalMesh,
    SoundWave,
    StaticMesh,
    Texture2D,
    World,
)
from ._containers import Array
from ._core import hidden, prop
from ._libraries import Interface
from ._logging import editor_log
from ._objects import Object, resolve_class
from ._state import singleton
from ._structs import StructBase


class Factory(Object):
    """Makes or imports assets of its `supported_class`."""

    _editor_properties_ = {
        "supported_class": prop(None),
        "create_new": prop(False),
        "edit_after_new": prop(False),
        "editor_import": prop(False),
        "text": prop(False),
        "formats": prop(factory=lambda: Array(str)),
        "automated_import_data": prop(None),
        "asset_import_task": prop(None),
        "context_class": prop(None),
    }
    _creates: Optional[type] = None


def _factory(name: str, creates: type, extra: Optional[Dict[str, Any]] = None) -> type:
    cls = type(
        name,
        (Factory,),
        {
            "__module__": __name__,
            "__doc__": f"Creates a new {creates.__name__}.",
            "_creates": creates,
            "_editor_properties_": extra or {},
        },
    )
    return cls


MaterialFactoryNew = _factory("MaterialFactoryNew", Material)
MaterialInstanceConstantFactoryNew = _factory(
    "MaterialInstanceConstantFactoryNew", MaterialInstanceConstant, {"initial_parent": hidden(None)}
)
BlueprintFactory = _factory("BlueprintFactory", Blueprint, {"parent_class": hidden(None)})
Texture2DFactoryNew = _factory("Texture2DFactoryNew", Texture2D)
WorldFactory = _factory("WorldFactory", World)
DataAssetFactory = _factory("DataAssetFactory", DataAsset, {"data_asset_class": hidden(None)})
FbxFactory = _factory("FbxFactory", StaticMesh)
TextureFactory = _factory("TextureFactory", Texture2D)
SoundFactory = _factory("SoundFactory", SoundWave)


class FbxImportUI(Object):
    """FBX import options."""

    _editor_properties_ = {
        "import_mesh": prop(True),
        "import_as_skeletal": prop(False),
        "import_materials": prop(True),
        "import_textures": prop(True),
        "import_animations": prop(True),
        "automated_import_should_detect_type": prop(True),
        "create_physics_asset": prop(True),
        "skeleton": prop(None),
    }


class AssetImportTask(Object):
    """One file to import: set filename and destination_path, then AssetTools.import_asset_tasks([task])."""

    _editor_properties_ = {
        "filename": prop(""),
        "destination_path": prop(""),
        "destination_name": prop(""),
        "replace_existing": prop(False),
        "replace_existing_settings": prop(False),
        "automated": prop(False),
        "save": prop(False),
        "async_": prop(False),
        "factory": prop(None),
        "options": prop(None),
        "result": prop(factory=lambda: Array(Object)),
        "imported_object_paths": prop(factory=lambda: Array(str)),
    }

    def get_objects(self) -> Array:
        """The imported assets."""
        return self._props["result"].copy()

    def is_async_import_complete(self) -> bool:
        """True: the mock imports synchronously."""
        return True


class AssetRenameData(StructBase):
    """One rename for AssetTools.rename_assets."""

    _editor_properties_ = {"asset": prop(None), "new_package_path": prop(""), "new_name": prop("")}

    def __init__(self, asset: Any = None, new_package_path: str = "", new_name: str = "") -> None:
        super().__init__(asset, new_package_path, new_name)


_IMPORTERS: Dict[str, type] = {
    ".fbx": StaticMesh,
    ".obj": StaticMesh,
    ".gltf": StaticMesh,
    ".glb": StaticMesh,
    ".png": Texture2D,
    ".jpg": Texture2D,
    ".jpeg": Texture2D,
    ".tga": Texture2D,
    ".bmp": Texture2D,
    ".exr": Texture2D,
    ".hdr": Texture2D,
    ".psd": Texture2D,
    ".tif": Texture2D,
    ".tiff": Texture2D,
    ".wav": SoundWave,
    ".ogg": SoundWave,
    ".flac": SoundWave,
}


def _asset_name_for(filename: str) -> str:
    """The asset name the importer derives from a file name (invalid characters become '_')."""
    return re.sub(r"[^A-Za-z0-9_\-]", "_", os.path.splitext(os.path.basename(filename))[0])


def _image_size(path: str) -> Optional[Tuple[int, int]]:
    with open(path, "rb") as f:
        head = f.read(32)
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        width, height = struct.unpack(">II", head[16:24])
        return int(width), int(height)
    return None


def _import_one(task: AssetImportTask) -> List[Object]:
    filename = str(task.get_editor_property("filename"))
    if not os.path.isfile(filename):
        editor_log("LogAssetTools", "Warning", f"Failed to import '{filename}'. The file does not exist.")
        return []
    ext = os.path.splitext(filename)[1].lower()
    asset_type = _IMPORTERS.get(ext)
    options = task.get_editor_property("options")
    if (
        asset_type is StaticMesh
        and isinstance(options, FbxImportUI)
        and options.get_editor_property("import_as_skeletal")
    ):
        asset_type = SkeletalMesh
    if asset_type is None:
        editor_log(
            "LogAssetTools",
            "Warning",
            f"Failed to import '{filename}'. Unknown extension '{ext.lstrip('.')}'.",
        )
        return []
    destination = _assets.normalize_dir(task.get_editor_property("destination_path") or "/Game")
    name = str(task.get_editor_property("destination_name") or _asset_name_for(filename))
    existing = _assets.find(f"{destination}/{name}")
    if existing is not None:
        if not task.get_editor_property("replace_existing"):
            editor_log(
                "LogAssetTools",
                "Warning",
                f"Failed to import '{filename}': an asset already exists at '{destination}/{name}'.",
            )
            return []
        _assets.delete(existing)
    asset = _assets.create(asset_type, destination, name)
    _describe_import(asset, filename, ext)
    if task.get_editor_property("save"):
        _assets.save(asset, only_if_is_dirty=False)
    editor_log("LogAssetTools", "Log", f"Imported '{filename}' as '{asset.get_path_name()}'.")
    return [asset]


def _describe_import(asset: Object, filename: str, ext: str) -> None:
    """Record the source file and what the mock can read from it (image size, sound length, mesh size)."""
    import_data = asset._props.get("asset_import_data")
    if import_data is not None:
        import_data._props["source_data"] = [os.path.abspath(filename)]
    if isinstance(asset, Texture2D):
        size = _image_size(filename)
        if size is not None:
            object.__setattr__(asset, "_size", size)
    elif isinstance(asset, SoundWave) and ext == ".wav":
        try:
            with wave.open(filename, "rb") as w:
                asset._props["duration"] = w.getnframes() / float(w.getframerate())
        except (wave.Error, EOFError):
            editor_log("LogAudio", "Warning", f"'{filename}' is not a valid WAV file.")
    elif isinstance(asset, StaticMesh) and ext == ".obj":
        with open(filename, encoding="utf-8", errors="replace") as f:
            faces = sum(1 for line in f if line.startswith("f "))
        object.__setattr__(asset, "_num_triangles", faces)


class AssetTools(Interface):
    """Asset creation and import; get it with AssetToolsHelpers.get_asset_tools()."""

    def create_asset(
        self,
        asset_name: str,
        package_path: str,
        asset_class: Any,
        factory: Any,
        calling_context: Any = "None",
    ) -> Optional[Object]:
        """A new asset made by `factory` (or of `asset_class`); None if the path is taken."""
        target = resolve_class(asset_class) if asset_class is not None else None
        if factory is not None:
            made = getattr(type(factory), "_creates", None)
            if made is None:
                raise TypeError(
                    f"factory must be an unreal.Factory subclass instance, got {type(factory).__name__}"
                )
            target = target or made
        if target is None:
            raise TypeError("create_asset needs an asset_class or a factory")
        directory = _assets.normalize_dir(package_path)
        if _assets.find(f"{directory}/{asset_name}") is not None:
            editor_log(
                "LogAssetTools",
                "Warning",
                f"CreateAsset failed: an asset already exists at '{directory}/{asset_name}'.",
            )
            return None
        asset = _assets.create(target, directory, asset_name)
        if isinstance(asset, Blueprint) and factory is not None:
            parent = factory._props.get("parent_class")
            if parent is not None:
                object.__setattr__(asset, "_parent_class", resolve_class(parent))
        if isinstance(asset, MaterialInstanceConstant) and factory is not None:
            initial_parent = factory._props.get("initial_parent")
            if initial_parent is not None:
                asset.set_editor_property("parent", initial_parent)
        return asset

    def import_asset_tasks(self, import_tasks: Any) -> None:
        """Import every task's file; results land in each task's `imported_object_paths`/`result`."""
        for task in import_tasks:
            if not isinstance(task, AssetImportTask):
                raise TypeError(f"import_tasks must hold unreal.AssetImportTask, got {type(task).__name__}")
            imported = _import_one(task)
            task._props["result"] = Array.cast(Object, imported)
            task._props["imported_object_paths"] = Array.cast(str, [a.get_path_name() for a in imported])

    def rename_assets(self, assets_and_names: Any) -> bool:
        """Move or rename several assets; False if any target is taken."""
        ok = True
        for item in assets_and_names:
            asset = item.get_editor_property("asset")
            path = _assets.normalize_dir(item.get_editor_property("new_package_path"))
            name = str(item.get_editor_property("new_name"))
            if _assets.find(f"{path}/{name}") is not None:
                editor_log("LogAssetTools", "Warning", f"RenameAssets: '{path}/{name}' already exists.")
                ok = False
                continue
            _assets.move(asset, f"{path}/{name}")
        return ok

    def duplicate_asset(
        self, asset_name: str, package_path: str, original_object: Object
    ) -> Optional[Object]:
        """A copy of `original_object` at `package_path/asset_name`."""
        directory = _assets.normalize_dir(package_path)
        if _assets.find(f"{directory}/{asset_name}") is not None:
            return None
        return _assets.duplicate(original_object, f"{directory}/{asset_name}")

    def create_unique_asset_name(self, base_package_name: str, suffix: str) -> Tuple[str, str]:
        """(package name, asset name) not used by any asset, numbering when needed."""
        base = f"{base_package_name}{suffix}"
        candidate, n = base, 1
        while _assets.find(candidate) is not None:
            candidate, n = f"{base}_{n}", n + 1
        return candidate, candidate.rsplit("/", 1)[-1]


class AssetToolsHelpers(Object):
    """Access to AssetTools."""

    @classmethod
    def get_asset_tools(cls) -> AssetTools:
        """The editor's AssetTools."""
        return singleton(AssetTools, lambda: AssetTools(name="AssetTools"))
