"""Library and subsystem base classes, the asset library classes, editor utilities and dialogs."""

from __future__ import annotations

from typing import Any, Optional

from ._asset_library import LIBRARY_METHODS, SUBSYSTEM_METHODS
from ._containers import Array
from ._core import prop
from ._enums import AppMsgType, AppReturnType
from ._objects import Object, resolve_class
from ._state import PROJECT, singleton


class BlueprintFunctionLibrary(Object):
    """Base of static function libraries; subclass it under `@unreal.uclass()` for your own."""


class Interface(Object):
    """Base of interfaces."""


class Subsystem(Object):
    """Base of subsystems."""


class DynamicSubsystem(Subsystem):
    """Base of subsystems created on demand."""


class EditorSubsystem(DynamicSubsystem):
    """Base of editor subsystems; get them with `unreal.get_editor_subsystem`."""


class EngineSubsystem(DynamicSubsystem):
    """Base of engine subsystems."""


def get_editor_subsystem(subsystem: Any) -> Any:
    """The one instance of an editor subsystem class."""
    return _subsystem(subsystem, EditorSubsystem, "get_editor_subsystem")


def get_engine_subsystem(subsystem: Any) -> Any:
    """The one instance of an engine subsystem class."""
    return _subsystem(subsystem, EngineSubsystem, "get_engine_subsystem")


def _subsystem(subsystem: Any, base: type, getter: str) -> Any:
    cls = resolve_class(subsystem)
    if not issubclass(cls, base):
        raise TypeError(f"{getter} needs an {base.__name__} class, got '{cls.__name__}'")
    return singleton(cls, cls)


class EditorAssetLibrary(BlueprintFunctionLibrary):
    """Content browser operations as classmethods (see EditorAssetSubsystem for the UE5 style)."""


class EditorAssetSubsystem(EditorSubsystem):
    """Content browser operations as an editor subsystem."""

    def set_dirty_flag(self, object: Object, dirty_state: bool) -> None:
        """Mark an asset's package dirty or clean."""
        object.__setattr__(object.get_outermost(), "_dirty", bool(dirty_state))  # type: ignore[call-arg, arg-type]


for _name, _method in LIBRARY_METHODS.items():
    setattr(EditorAssetLibrary, _name, _method)
for _name, _method in SUBSYSTEM_METHODS.items():
    setattr(EditorAssetSubsystem, _name, _method)


class EditorUtilityLibrary(BlueprintFunctionLibrary):
    """What is selected in the content browser."""

    @classmethod
    def get_selected_assets(cls) -> Array:
        """The assets selected in the content browser."""
        return Array.cast(Object, PROJECT.selected_assets)

    @classmethod
    def get_selected_asset_data(cls) -> Array:
        """AssetData of the selected assets."""
        from ._asset_library import asset_data_for
        from ._assetdata import AssetData

        return Array.cast(AssetData, [asset_data_for(a) for a in PROJECT.selected_assets])

    @classmethod
    def get_selected_assets_of_class(cls, asset_class: Any) -> Array:
        """Selected assets of a class."""
        wanted = resolve_class(asset_class)
        return Array.cast(Object, [a for a in PROJECT.selected_assets if isinstance(a, wanted)])

    @classmethod
    def get_selected_folder_paths(cls) -> Array:
        """Folders selected in the content browser."""
        return Array.cast(str, PROJECT.selected_folders)

    @classmethod
    def get_selection_set(cls) -> Array:
        """The selected level actors."""
        from ._level import Actor

        return Array.cast(Actor, PROJECT.selected_actors)

    @classmethod
    def rename_asset(cls, asset: Object, new_name: str) -> None:
        """Rename an asset in its folder."""
        from . import _assets

        folder = _assets.package_name(asset).rsplit("/", 1)[0]
        _assets.move(asset, f"{folder}/{new_name}")


class GlobalEditorUtilityBase(Object):
    """Base of Blutility-style editor utilities; subclass it under `@unreal.uclass()`."""

    _editor_properties_ = {"help_text": prop(""), "auto_run_default_action": prop(False)}

    def get_selected_assets(self) -> Array:
        """The assets selected in the content browser."""
        return EditorUtilityLibrary.get_selected_assets()

    def get_selection_set(self) -> Array:
        """The selected level actors."""
        return EditorUtilityLibrary.get_selection_set()

    def rename_asset(self, asset: Object, new_name: str) -> None:
        """Rename an asset in its folder."""
        EditorUtilityLibrary.rename_asset(asset, new_name)

    def clear_actor_selection_set(self) -> None:
        """Select no actors."""
        from ._level import clear_selection

        clear_selection()

    def select_nothing(self) -> None:
        """Select no actors."""
        from ._level import clear_selection

        clear_selection()

    def set_actor_selection_state(self, actor: Any, should_be_selected: bool) -> None:
        """Select or deselect an actor."""
        from ._level import set_selected

        set_selected(actor, should_be_selected)


class EditorDialog(BlueprintFunctionLibrary):
    """Modal dialogs; the mock answers from a queue set by tests and never blocks."""

    @classmethod
    def show_message(
        cls,
        title: Any,
        message: Any,
        message_type: AppMsgType,
        default_value: AppReturnType = AppReturnType.NO,  # type: ignore[assignment]
        message_category: Any = None,
    ) -> AppReturnType:
        """Record the message; answer from the test's queue, else its default, else `default_value`."""
        if not isinstance(message_type, AppMsgType):
            raise TypeError(f"message_type must be an unreal.AppMsgType, got {type(message_type).__name__}")
        if PROJECT.dialog_answers:
            answer = PROJECT.dialog_answers.pop(0)
        elif PROJECT.dialog_default_answer is not None:
            answer = PROJECT.dialog_default_answer
        else:
            answer = AppReturnType.OK if message_type == AppMsgType.OK else default_value
        PROJECT.dialogs.append(
            {
                "title": str(title),
                "message": str(message),
                "message_type": message_type.name,
                "answer": answer.name,
            }
        )
        return answer


class AutomationLibrary(BlueprintFunctionLibrary):
    """Automation helpers; screenshots are recorded and written as placeholder PNG files."""

    @classmethod
    def take_high_res_screenshot(
        cls,
        res_x: int,
        res_y: int,
        filename: str,
        camera: Optional[Any] = None,
        mask_enabled: bool = False,
        capture_hdr: bool = False,
        comparison_tolerance: Any = None,
        comparison_notes: str = "",
        delay: float = 0.0,
        force_game_view: bool = True,
    ) -> Any:
        """Record a screenshot request and write a PNG of that size into Saved/Screenshots."""
        from ._screenshots import write_screenshot

        return write_screenshot(res_x, res_y, filename, camera)
