"""Enums scripts pass to the APIs the mock covers; member names and order as in the editor."""

from __future__ import annotations

from ._structs import EnumBase


class AppMsgType(EnumBase):
    """Buttons of a message dialog."""

    OK = 0
    YES_NO = 1
    OK_CANCEL = 2
    YES_NO_CANCEL = 3
    CANCEL_RETRY_CONTINUE = 4
    YES_NO_YES_ALL_NO_ALL = 5
    YES_NO_YES_ALL_NO_ALL_CANCEL = 6
    YES_NO_YES_ALL = 7


class AppReturnType(EnumBase):
    """The button a message dialog was closed with."""

    NO = 0
    YES = 1
    YES_ALL = 2
    NO_ALL = 3
    CANCEL = 4
    OK = 5
    RETRY = 6
    CONTINUE = 7


class ComponentMobility(EnumBase):
    """Whether a component may move at runtime."""

    STATIC = 0
    STATIONARY = 1
    MOVABLE = 2


class EditorScriptingFilterType(EnumBase):
    """Keep or drop what a filter matches."""

    INCLUDE = 0
    EXCLUDE = 1


class EditorScriptingStringMatchType(EnumBase):
    """How a filter matches strings."""

    CONTAINS = 0
    MATCHES_WILDCARD = 1
    EXACT_MATCH = 2


class TextureCompressionSettings(EnumBase):
    """Texture compression formats."""

    TC_DEFAULT = 0
    TC_NORMALMAP = 1
    TC_MASKS = 2
    TC_GRAYSCALE = 3
    TC_DISPLACEMENTMAP = 4
    TC_VECTOR_DISPLACEMENTMAP = 5
    TC_HDR = 6
    TC_EDITOR_ICON = 7
    TC_ALPHA = 8
    TC_DISTANCE_FIELD_FONT = 9
    TC_HDR_COMPRESSED = 10
    TC_BC7 = 11


class TextureGroup(EnumBase):
    """Texture LOD groups (the common ones)."""

    TEXTUREGROUP_WORLD = 0
    TEXTUREGROUP_WORLD_NORMAL_MAP = 1
    TEXTUREGROUP_WORLD_SPECULAR = 2
    TEXTUREGROUP_CHARACTER = 3
    TEXTUREGROUP_CHARACTER_NORMAL_MAP = 4
    TEXTUREGROUP_CHARACTER_SPECULAR = 5
    TEXTUREGROUP_WEAPON = 6
    TEXTUREGROUP_WEAPON_NORMAL_MAP = 7
    TEXTUREGROUP_WEAPON_SPECULAR = 8
    TEXTUREGROUP_VEHICLE = 9
    TEXTUREGROUP_VEHICLE_NORMAL_MAP = 10
    TEXTUREGROUP_VEHICLE_SPECULAR = 11
    TEXTUREGROUP_CINEMATIC = 12
    TEXTUREGROUP_EFFECTS = 13
    TEXTUREGROUP_EFFECTS_NOT_FILTERED = 14
    TEXTUREGROUP_SKYBOX = 15
    TEXTUREGROUP_UI = 16


class BlendMode(EnumBase):
    """Material blend modes."""

    BLEND_OPAQUE = 0
    BLEND_MASKED = 1
    BLEND_TRANSLUCENT = 2
    BLEND_ADDITIVE = 3
    BLEND_MODULATE = 4
    BLEND_ALPHA_COMPOSITE = 5
    BLEND_ALPHA_HOLDOUT = 6


class MaterialProperty(EnumBase):
    """Material output pins."""

    MP_EMISSIVE_COLOR = 0
    MP_OPACITY = 1
    MP_OPACITY_MASK = 2
    MP_BASE_COLOR = 3
    MP_METALLIC = 4
    MP_SPECULAR = 5
    MP_ROUGHNESS = 6
    MP_ANISOTROPY = 7
    MP_NORMAL = 8
    MP_TANGENT = 9
    MP_WORLD_POSITION_OFFSET = 10
    MP_SUBSURFACE_COLOR = 11
    MP_AMBIENT_OCCLUSION = 12
    MP_REFRACTION = 13


class MaterialParameterAssociation(EnumBase):
    """Where a material parameter lives."""

    LAYER_PARAMETER = 0
    BLEND_PARAMETER = 1
    GLOBAL_PARAMETER = 2


class AttachmentRule(EnumBase):
    """How an attached actor keeps its transform."""

    KEEP_RELATIVE = 0
    KEEP_WORLD = 1
    SNAP_TO_TARGET = 2


class PropertyAccessChangeNotifyMode(EnumBase):
    """Whether setting a property notifies the editor."""

    DEFAULT = 0
    NEVER = 1
    ALWAYS = 2


class ToolMenuInsertType(EnumBase):
    """Where a menu section or entry goes."""

    DEFAULT = 0
    BEFORE = 1
    AFTER = 2
    FIRST = 3
    LAST = 4


class UserInterfaceActionType(EnumBase):
    """How a menu or toolbar entry behaves when clicked."""

    NONE = 0
    BUTTON = 1
    TOGGLE_BUTTON = 2
    RADIO_BUTTON = 3
    CHECK = 4
    COLLAPSED_BUTTON = 5


class MultiBlockType(EnumBase):
    """Kinds of menu entries."""

    NONE = 0
    BUTTON_ROW = 1
    EDITABLE_TEXT = 2
    HEADING = 3
    MENU_ENTRY = 4
    SEPARATOR = 5
    TOOL_BAR_BUTTON = 6
    TOOL_BAR_COMBO_BUTTON = 7
    WIDGET = 8


class ToolMenuStringCommandType(EnumBase):
    """What a menu entry's string command is."""

    COMMAND = 0
    PYTHON = 1
    CUSTOM = 2
