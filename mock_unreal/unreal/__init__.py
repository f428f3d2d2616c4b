"""The mock `unreal` module: the names and signatures of Unreal's, backed by an in-memory project.

Names Unreal has but the mock does not cover raise NotImplementedError naming them; names Unreal
lacks raise AttributeError, as in the editor.
"""

# ruff: noqa: F401  (every import is a re-export; __all__ is computed from them below)
from __future__ import annotations

from typing import Any

from . import _logging
from ._animation import AnimationLibrary, AnimNotify, AnimNotifyEvent, AnimNotifyState
from ._asset_editors import AssetEditorOpenLocation, AssetEditorSubsystem
from ._asset_library import LIBRARY_METHODS as _LIBRARY_METHODS
from ._asset_tools import (
    AssetImportTask,
    AssetRenameData,
    AssetTools,
    AssetToolsHelpers,
    BlueprintFactory,
    DataAssetFactory,
    Factory,
    FbxFactory,
    FbxImportUI,
    MaterialFactoryNew,
    MaterialInstanceConstantFactoryNew,
    SoundFactory,
    Texture2DFactoryNew,
    TextureFactory,
    WorldFactory,
)
from ._asset_types import (
    AnimationAsset,
    AnimSequence,
    AnimSequenceBase,
    AssetImportData,
    Blueprint,
    BlueprintCore,
    DataAsset,
    Material,
    MaterialInstance,
    MaterialInstanceConstant,
    MaterialInterface,
    SkeletalMesh,
    Skeleton,
    SkinnedAsset,
    SoundBase,
    SoundWave,
    StaticMaterial,
    StaticMesh,
    StreamableRenderAsset,
    Texture,
    Texture2D,
    World,
)
from ._assetdata import AssetData, SoftObjectPath, TopLevelAssetPath
from ._cinematics import (
    CameraFilmbackSettings,
    CameraFocusMethod,
    CameraFocusSettings,
    CameraLensSettings,
    CineCameraActor,
    CineCameraComponent,
)
from ._color import Color, LinearColor
from ._containers import Array, Map, Name, Set, Text
from ._core import _WrapperBase, not_covered, real_module_has
from ._decorators import uclass, uenum, ufunction, uproperty, ustruct, uvalue
from ._dependencies import AssetRegistryDependencyOptions
from ._enums import (
    AppMsgType,
    AppReturnType,
    AttachmentRule,
    BlendMode,
    ComponentMobility,
    EditorScriptingFilterType,
    EditorScriptingStringMatchType,
    MaterialParameterAssociation,
    MaterialProperty,
    MultiBlockType,
    PropertyAccessChangeNotifyMode,
    TextureCompressionSettings,
    TextureGroup,
    ToolMenuInsertType,
    ToolMenuStringCommandType,
    UserInterfaceActionType,
)
from ._filters import EditorFilterLibrary, GameplayStatics
from ._functions import (
    collect_garbage,
    find_asset,
    find_object,
    get_default_object,
    get_interpreter_executable_path,
    is_editor,
    load_asset,
    load_class,
    load_object,
    new_object,
)
from ._level import (
    Actor,
    ActorComponent,
    CameraActor,
    CameraComponent,
    DirectionalLight,
    DirectionalLightComponent,
    Level,
    Light,
    LightComponent,
    MeshComponent,
    PointLight,
    PointLightComponent,
    PrimitiveComponent,
    SceneComponent,
    SkeletalMeshActor,
    SkeletalMeshComponent,
    StaticMeshActor,
    StaticMeshComponent,
    WorldSettings,
)
from ._level_library import (
    EditorActorSubsystem,
    EditorLevelLibrary,
    LevelEditorSubsystem,
    UnrealEditorSubsystem,
)
from ._level_types import Box
from ._libraries import (
    AutomationLibrary,
    BlueprintFunctionLibrary,
    DynamicSubsystem,
    EditorAssetLibrary,
    EditorAssetSubsystem,
    EditorDialog,
    EditorSubsystem,
    EditorUtilityLibrary,
    EngineSubsystem,
    GlobalEditorUtilityBase,
    Interface,
    Subsystem,
    get_editor_subsystem,
    get_engine_subsystem,
)
from ._logging import log, log_error, log_flush, log_warning
from ._materials import (
    MaterialEditingLibrary,
    MaterialExpression,
    MaterialExpressionAdd,
    MaterialExpressionConstant,
    MaterialExpressionConstant3Vector,
    MaterialExpressionMultiply,
    MaterialExpressionParameter,
    MaterialExpressionScalarParameter,
    MaterialExpressionStaticBoolParameter,
    MaterialExpressionStaticSwitchParameter,
    MaterialExpressionTextureBase,
    MaterialExpressionTextureCoordinate,
    MaterialExpressionTextureSample,
    MaterialExpressionTextureSampleParameter,
    MaterialExpressionTextureSampleParameter2D,
    MaterialExpressionVectorParameter,
)
from ._math import Vector, Vector2D
from ._menus import (
    MultiBoxType,
    ToolMenu,
    ToolMenuBase,
    ToolMenuContext,
    ToolMenuEntry,
    ToolMenuEntryScript,
    ToolMenuEntryScriptData,
    ToolMenus,
)
from ._objects import Class, Field, Object, Package, Struct, _ObjectBase
from ._pawns import CapsuleComponent, Character, CharacterMovementComponent, Pawn
from ._registry import ARFilter, AssetRegistry, AssetRegistryHelpers
from ._rotation import Quat, Rotator, Transform
from ._saving import EditorLoadingAndSavingUtils
from ._slowtask import ScopedSlowTask
from ._streaming import EditorLevelUtils, LevelStreaming, LevelStreamingAlwaysLoaded, LevelStreamingDynamic
from ._strings import MathLibrary, StringLibrary
from ._structs import EnumBase, StructBase
from ._system import Paths, SystemLibrary
from ._ticks import (
    register_slate_post_tick_callback,
    register_slate_pre_tick_callback,
    unregister_slate_post_tick_callback,
    unregister_slate_pre_tick_callback,
)

_logging.start_log_file()

# Lets tools tell a headless host from an editor; the real module has no such name.
__mock__ = True

__all__ = [
    *sorted(
        name
        for name, value in dict(globals()).items()
        if not name.startswith("_")
        and name not in ("annotations", "Any", "not_covered", "real_module_has")
        and getattr(value, "__module__", "").startswith("mock_unreal.unreal")
    ),
    "_ObjectBase",
    "_WrapperBase",
]


def __getattr__(name: str) -> Any:
    """A real name the mock lacks raises NotImplementedError; anything else AttributeError."""
    if not name.startswith("__") and real_module_has(name):
        raise not_covered(f"unreal.{name}")
    raise AttributeError(f"module 'unreal' has no attribute '{name}'")
