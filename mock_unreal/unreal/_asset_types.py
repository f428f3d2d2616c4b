"""Asset classes: meshes, textures, materials, blueprints, worlds, sounds, animations."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ._containers import Array, Name
from ._core import hidden, prop
from ._enums import BlendMode, TextureCompressionSettings, TextureGroup
from ._math import Vector
from ._objects import Class, Object, class_of
from ._structs import StructBase


class AssetImportData(Object):
    """Where an asset was imported from."""

    _editor_properties_ = {"source_data": prop(read_only=True, attribute=False, factory=list)}

    def get_first_filename(self) -> str:
        """The first source file, or ''."""
        files = self._props["source_data"]
        return files[0] if files else ""

    def extract_filenames(self) -> Array:
        """Every source file."""
        return Array.cast(str, self._props["source_data"])

    def scripted_add_filename(self, path: str, index: int, source_file_label: str) -> None:
        """Record a source file at `index`."""
        files: List[str] = self._props["source_data"]
        while len(files) <= index:
            files.append("")
        files[index] = path


def _import_data() -> AssetImportData:
    return AssetImportData()


class StaticMaterial(StructBase):
    """A material slot of a static mesh."""

    _editor_properties_ = {
        "material_interface": prop(None),
        "material_slot_name": prop(factory=Name, coerce=Name.cast),
        "imported_material_slot_name": hidden(factory=Name, read_only=True),
        "overlay_material_interface": prop(None),
    }

    def __init__(
        self,
        material_interface: Optional[Any] = None,
        material_slot_name: Any = "None",
        uv_channel_data: Any = None,
        overlay_material_interface: Optional[Any] = None,
    ) -> None:
        super().__init__()
        self._props["material_interface"] = material_interface
        self._props["material_slot_name"] = Name(material_slot_name)
        self._props["overlay_material_interface"] = overlay_material_interface


class StreamableRenderAsset(Object):
    """Assets whose mips or LODs stream."""

    _editor_properties_ = {"never_stream": prop(False)}


class StaticMesh(StreamableRenderAsset):
    """A static mesh; material slots are real, geometry is summarized."""

    _editor_properties_ = {
        "static_materials": prop(factory=lambda: Array(StaticMaterial)),
        "lod_group": hidden(factory=Name, coerce=Name.cast),
        "light_map_resolution": hidden(64),
        "light_map_coordinate_index": hidden(1),
        "asset_import_data": hidden(factory=_import_data),
    }
    _num_lods = 1
    _num_triangles = 12
    _bounds_extent = (50.0, 50.0, 50.0)
    _copied_state_ = ("_num_lods", "_num_triangles", "_bounds_extent")  # class defaults, set per mesh on import

    def get_num_lods(self) -> int:
        """How many LODs the mesh has."""
        return self._num_lods

    def get_num_triangles(self, lod_index: int) -> int:
        """Triangles in a LOD (0 past the last LOD)."""
        return self._num_triangles if 0 <= lod_index < self._num_lods else 0

    def get_num_sections(self, lod: int) -> int:
        """Sections in a LOD: one per material slot."""
        return len(self._props["static_materials"]) if 0 <= lod < self._num_lods else 0

    def get_material(self, material_index: int) -> Optional[Any]:
        """The material in a slot, or None."""
        slots = self._props["static_materials"]
        return slots[material_index].material_interface if 0 <= material_index < len(slots) else None

    def set_material(self, material_index: int, new_material: Any) -> None:
        """Put a material in an existing slot."""
        slots = self._props["static_materials"]
        if 0 <= material_index < len(slots):
            slots[material_index].material_interface = new_material
            self.modify()

    def add_material(self, material: Any) -> Name:
        """Add a slot holding `material`; returns the slot name."""
        slot = StaticMaterial(material, material.get_name() if material else "None")
        self._props["static_materials"].append(slot)
        self.modify()
        return slot.material_slot_name

    def get_material_index(self, material_slot_name: Any) -> int:
        """The index of a slot by name, or -1."""
        for i, slot in enumerate(self._props["static_materials"]):
            if slot.material_slot_name == material_slot_name:
                return i
        return -1

    def get_bounding_box(self) -> Any:
        """The mesh's local bounding box."""
        from ._level_types import Box

        x, y, z = self._bounds_extent
        return Box(Vector(-x, -y, -z), Vector(x, y, z))


class SkinnedAsset(StreamableRenderAsset):
    """Base of skeletal meshes."""


class Skeleton(Object):
    """A skeleton shared by skeletal meshes and animations."""


class SkeletalMesh(SkinnedAsset):
    """A skeletal mesh."""

    _editor_properties_ = {
        "skeleton": prop(None, read_only=True),
        "materials": prop(factory=list),
        "asset_import_data": hidden(factory=_import_data),
    }


class Texture(StreamableRenderAsset):
    """Base of textures."""

    _editor_properties_ = {
        "srgb": prop(True),
        "compression_settings": prop(TextureCompressionSettings.TC_DEFAULT),
        "lod_group": prop(TextureGroup.TEXTUREGROUP_WORLD),
        "lod_bias": prop(0),
        "max_texture_size": prop(0),
        "asset_import_data": hidden(factory=_import_data, read_only=True),
    }


class Texture2D(Texture):
    """A 2D texture; its size comes from the imported image."""

    _size = (256, 256)
    _copied_state_ = ("_size",)  # a class default, set per texture on import

    def blueprint_get_size_x(self) -> int:
        """Width in pixels."""
        return self._size[0]

    def blueprint_get_size_y(self) -> int:
        """Height in pixels."""
        return self._size[1]


class MaterialInterface(Object):
    """Base of materials and material instances."""

    _editor_properties_ = {"preview_mesh": hidden(None)}


class Material(MaterialInterface):
    """A material graph: expressions and connections."""

    _editor_properties_ = {
        "two_sided": hidden(False),
        "blend_mode": prop(BlendMode.BLEND_OPAQUE),
        "used_with_skeletal_mesh": prop(False),
        "used_with_static_lighting": prop(False),
    }
    _expressions: List[Any]
    _connections: Dict[Any, Any]
    _copied_state_ = ("_expressions", "_connections")

    def _post_init(self) -> None:
        object.__setattr__(self, "_expressions", [])
        object.__setattr__(self, "_connections", {})


class MaterialInstance(MaterialInterface):
    """A material with parameter overrides."""

    _editor_properties_ = {
        "parent": prop(None),
        "scalar_parameter_values": prop(factory=list),
        "vector_parameter_values": prop(factory=list),
        "texture_parameter_values": prop(factory=list),
    }
    _copied_state_ = ("_scalars", "_vectors", "_textures", "_switches")

    def _post_init(self) -> None:
        object.__setattr__(self, "_scalars", {})
        object.__setattr__(self, "_vectors", {})
        object.__setattr__(self, "_textures", {})
        object.__setattr__(self, "_switches", {})


class MaterialInstanceConstant(MaterialInstance):
    """A material instance edited in the editor."""

    def get_scalar_parameter_value(self, parameter_name: Any) -> float:
        """The value of a scalar parameter (own override, then the parent's default)."""
        from ._materials import lookup_parameter

        return lookup_parameter(self, "_scalars", parameter_name, 0.0)

    def get_vector_parameter_value(self, parameter_name: Any) -> Any:
        """The value of a vector parameter."""
        from ._color import LinearColor
        from ._materials import lookup_parameter

        return lookup_parameter(self, "_vectors", parameter_name, LinearColor())

    def get_texture_parameter_value(self, parameter_name: Any) -> Any:
        """The value of a texture parameter."""
        from ._materials import lookup_parameter

        return lookup_parameter(self, "_textures", parameter_name, None)


class BlueprintCore(Object):
    """Base of blueprints."""


class Blueprint(BlueprintCore):
    """A blueprint: a class made in the editor, deriving from a parent class."""

    _editor_properties_ = {
        "blueprint_description": hidden(""),
        "blueprint_category": hidden(""),
        "blueprint_display_name": hidden(""),
    }
    _parent_class: Optional[type] = None  # None: Actor, BlueprintFactory's default parent
    _copied_state_ = ("_parent_class",)  # not _generated: a copy generates its own class
    _generated: Optional[type] = None

    def generated_class(self) -> Class:
        """The class this blueprint generates, `<Name>_C`."""
        if self._generated is None or self._generated.__name__ != f"{self.get_name()}_C":
            generated = type(
                f"{self.get_name()}_C",
                (self._parent_class or _actor_class(),),
                {
                    "__module__": "mock_unreal.unreal.generated",
                    "_blueprint_": self,
                    "_label_base_": self.get_name(),
                },
            )
            object.__setattr__(self, "_generated", generated)
        return class_of(self._generated)  # type: ignore[arg-type]


def _actor_class() -> type:
    from ._actors import Actor

    return Actor


class World(Object):
    """A level asset (map); the editor world holds the level's actors."""

    def get_world_settings(self) -> Any:
        """The level's WorldSettings actor."""
        from ._level import world_settings

        return world_settings(self)


class SoundBase(Object):
    """Base of sounds."""

    _editor_properties_ = {"duration": prop(0.0, read_only=True)}


class SoundWave(SoundBase):
    """An imported sound."""

    _editor_properties_ = {"asset_import_data": hidden(factory=_import_data)}


class AnimationAsset(Object):
    """Base of animation assets."""


class AnimSequenceBase(AnimationAsset):
    """Base of animation sequences; keeps notify tracks and notify events (see AnimationLibrary)."""

    _copied_state_ = ("_notify_tracks", "_notify_events")


class AnimSequence(AnimSequenceBase):
    """An animation sequence."""

    _editor_properties_ = {
        "skeleton": hidden(None, read_only=True),
        "enable_root_motion": hidden(False),
        "rate_scale": hidden(1.0),
        "sequence_length": prop(0.0, read_only=True),
        "asset_import_data": hidden(factory=_import_data, read_only=True),
    }


class DataAsset(Object):
    """A data-only asset."""
