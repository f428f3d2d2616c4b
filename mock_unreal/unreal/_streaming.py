"""Level streaming in the editor world: sublevels added, created, shown, made current and removed."""

from __future__ import annotations

from typing import Any, List, Optional

from . import _assets
from ._actors import Level
from ._containers import Array
from ._core import prop
from ._logging import editor_log
from ._objects import Object, resolve_class
from ._rotation import Transform


class LevelStreaming(Object):
    """A sublevel of the editor world: which map, whether it is loaded and visible."""

    _editor_properties_ = {
        "world_asset": prop(None, read_only=True),
        "level_transform": prop(factory=Transform),
        "should_be_visible": prop(True),
        "should_be_loaded": prop(True),
        "should_block_on_load": prop(False),
        "streaming_priority": prop(0),
        "level_lod_index": prop(-1),
    }

    def get_loaded_level(self) -> Optional[Level]:
        """The sublevel's level (always loaded in the editor)."""
        world = self._props["world_asset"]
        return _persistent_level(world) if world is not None else None

    def is_level_loaded(self) -> bool:
        """True: the editor keeps its sublevels loaded."""
        return self._props["world_asset"] is not None

    def is_level_visible(self) -> bool:
        """Whether the sublevel is shown in the viewport."""
        return bool(self._props["should_be_visible"])

    def is_streaming_state_pending(self) -> bool:
        """False: nothing streams asynchronously in the mock."""
        return False

    def get_world_asset_package_f_name(self) -> Any:
        """The sublevel's map package name."""
        from ._containers import Name

        return Name(_assets.package_name(self._props["world_asset"]))


class LevelStreamingAlwaysLoaded(LevelStreaming):
    """A sublevel that is always loaded."""


class LevelStreamingDynamic(LevelStreaming):
    """A sublevel loaded by Blueprint or code."""


def _persistent_level(world: Any) -> Level:
    level = vars(world).get("_level")
    if level is None:
        level = Level(outer=world, name="PersistentLevel")
        object.__setattr__(world, "_level", level)
    return level


def streaming_levels(world: Any) -> List[LevelStreaming]:
    """The world's sublevels, in the order they were added."""
    found: List[LevelStreaming] = vars(world).setdefault("_streaming", [])
    return found


def current_level(world: Any) -> Level:
    """The level new actors go to: the persistent level unless another was made current."""
    return vars(world).get("_current_level") or _persistent_level(world)


def _add(world: Any, map_asset: Any, level_streaming_class: Any, transform: Any) -> LevelStreaming:
    cls = resolve_class(level_streaming_class) if level_streaming_class is not None else LevelStreamingAlwaysLoaded
    if not (isinstance(cls, type) and issubclass(cls, LevelStreaming)):
        raise TypeError(f"level_streaming_class must be a LevelStreaming class, got {getattr(cls, '__name__', cls)}")
    streaming = cls(outer=world, name=f"{cls.__name__}_{map_asset.get_name()}")
    streaming._props["world_asset"] = map_asset
    if transform is not None:
        streaming._props["level_transform"] = transform
    streaming_levels(world).append(streaming)
    world.modify()
    return streaming


class EditorLevelUtils(Object):
    """Sublevels of the editor world."""

    @classmethod
    def add_level_to_world(cls, world: Any, level_package_name: str, level_streaming_class: Any) -> Any:
        """Add an existing map as a sublevel; None (and an editor log line) when the map does not exist."""
        return cls.add_level_to_world_with_transform(world, level_package_name, level_streaming_class, None)

    @classmethod
    def add_level_to_world_with_transform(
        cls, world: Any, level_package_name: str, level_streaming_class: Any, level_transform: Any
    ) -> Any:
        """Add an existing map as a sublevel placed at a transform."""
        from ._asset_types import World

        package = str(level_package_name).split(".", 1)[0]
        found = _assets.find(package)
        if not isinstance(found, World):
            editor_log("LogLevelTools", "Warning", f"Unable to add level '{package}': no map by that name")
            return None
        if any(s._props["world_asset"] is found for s in streaming_levels(world)):
            editor_log("LogLevelTools", "Warning", f"Level '{package}' is already in the world")
            return None
        return _add(world, found, level_streaming_class, level_transform)

    @classmethod
    def create_new_streaming_level(
        cls, level_streaming_class: Any, new_level_path: str = "", move_selected_actors_into_new_level: bool = False
    ) -> Any:
        """Create a new map asset and add it to the editor world as a sublevel."""
        from . import _level
        from ._asset_types import World

        world = _level.editor_world()
        path = str(new_level_path) or f"/Game/{world.get_name()}_Sublevel"
        if _assets.find(path) is not None:
            editor_log("LogLevelTools", "Warning", f"Unable to create level '{path}': an asset already exists there")
            return None
        package, name = _assets.split_path(path)
        map_asset = _assets.create(World, package.rsplit("/", 1)[0], name)
        streaming = _add(world, map_asset, level_streaming_class, None)
        if move_selected_actors_into_new_level:
            cls.move_actors_to_level(list(_level.PROJECT.selected_actors), streaming)
        return streaming

    @classmethod
    def get_levels(cls, world: Any) -> Array:
        """The persistent level, then every sublevel's level."""
        levels = [_persistent_level(world)] + [s.get_loaded_level() for s in streaming_levels(world)]
        return Array.cast(Level, [lv for lv in levels if lv is not None])

    @classmethod
    def make_level_current(cls, streaming_level: Any) -> None:
        """New actors go to this sublevel (or, given a Level, to that level)."""
        from . import _level

        level = streaming_level.get_loaded_level() if isinstance(streaming_level, LevelStreaming) else streaming_level
        object.__setattr__(_level.editor_world(), "_current_level", level)

    @classmethod
    def move_actors_to_level(
        cls,
        actors_to_move: Any,
        dest_streaming_level: Any,
        warn_about_references: bool = True,
        warn_about_renaming: bool = True,
    ) -> int:
        """Move actors into a sublevel; how many moved."""
        level = (
            dest_streaming_level.get_loaded_level()
            if isinstance(dest_streaming_level, LevelStreaming)
            else dest_streaming_level
        )
        moved = 0
        for actor in actors_to_move:
            if actor.get_outer() is not level:
                actor.modify()
                object.__setattr__(actor, "_outer", level)
                actor.modify()
                moved += 1
        return moved

    @classmethod
    def move_selected_actors_to_level(cls, dest_level: Any, warn_about_references: bool = True) -> int:
        """Move the selected actors into a sublevel."""
        from ._state import PROJECT

        return cls.move_actors_to_level(list(PROJECT.selected_actors), dest_level, warn_about_references)

    @classmethod
    def remove_level_from_world(
        cls, level: Any, clear_selection: bool = True, reset_transaction_buffer: bool = True
    ) -> bool:
        """Remove a sublevel and its actors from the editor world; False for the persistent level."""
        from . import _level

        world = _level.editor_world()
        for streaming in streaming_levels(world):
            if streaming.get_loaded_level() is level:
                streaming_levels(world).remove(streaming)
                for actor in [a for a in world._actors if a.get_outer() is level]:
                    _level.destroy(actor)
                if vars(world).get("_current_level") is level:
                    object.__setattr__(world, "_current_level", None)
                if clear_selection:
                    _level.clear_selection()
                world.modify()
                return True
        return False

    @classmethod
    def set_level_visibility(
        cls, level: Any, should_be_visible: bool, force_layers_visible: bool, modify_mode: Any = None
    ) -> None:
        """Show or hide a sublevel in the viewport."""
        from . import _level

        for streaming in streaming_levels(_level.editor_world()):
            if streaming.get_loaded_level() is level:
                streaming._props["should_be_visible"] = bool(should_be_visible)

    @classmethod
    def set_levels_visibility(
        cls, levels: Any, should_be_visible: Any, force_layers_visible: bool, modify_mode: Any = None
    ) -> None:
        """Show or hide several sublevels; `should_be_visible` is one bool per level."""
        for level, visible in zip(levels, should_be_visible):
            cls.set_level_visibility(level, visible, force_layers_visible, modify_mode)
