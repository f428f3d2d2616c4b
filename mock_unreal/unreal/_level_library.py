"""Level editing APIs: EditorLevelLibrary (UE4 style), the UE5 subsystems, filters, GameplayStatics."""

from __future__ import annotations

from typing import Any, Optional, Tuple

from . import _assets, _level
from ._asset_types import Blueprint, SkeletalMesh, StaticMesh
from ._containers import Array
from ._level import Actor, ActorComponent
from ._libraries import BlueprintFunctionLibrary, EditorSubsystem
from ._math import Vector
from ._objects import Object
from ._rotation import Rotator, Transform
from ._state import PROJECT

# The actor a mesh asset spawns, and the property of its root component that shows the mesh.
_MESH_ACTORS = (
    (StaticMesh, _level.StaticMeshActor, "static_mesh"),
    (SkeletalMesh, _level.SkeletalMeshActor, "skeletal_mesh_asset"),
)


def _spawn_from_object(object_to_use: Any, location: Vector, rotation: Optional[Rotator]) -> Optional[Actor]:
    if isinstance(object_to_use, Blueprint):
        return _level.spawn(object_to_use.generated_class(), location, rotation)
    for asset_type, actor_type, mesh_property in _MESH_ACTORS:
        if isinstance(object_to_use, asset_type):
            label = _level._unique_label(object_to_use.get_name())
            actor = _level.spawn(actor_type, location, rotation, label=label)
            actor._root().set_editor_property(mesh_property, object_to_use)
            return actor
    from ._logging import editor_log

    editor_log(
        "LogEditorScripting",
        "Error",
        f"SpawnActorFromObject. No factory can spawn an actor from '{object_to_use!r}'.",
    )
    return None


def _save_current_level() -> bool:
    world = _level.editor_world()
    package = world.get_outermost()
    if package.get_name().startswith("/Temp/"):
        from ._logging import editor_log

        editor_log(
            "LogEditorScripting", "Error", "SaveCurrentLevel. Can't save the level because it's unnamed."
        )
        return False
    asset = _assets.find(package.get_name())
    if asset is not None:
        _assets.save(asset, only_if_is_dirty=False)  # writes the .umap
    object.__setattr__(package, "_dirty", False)
    PROJECT.saved_levels.append(package.get_name())
    return True


def _load_level(asset_path: str) -> bool:
    world = _assets.find(asset_path)
    if world is None or world._unreal_class_name() != "World":
        _assets.log_missing("LoadLevel", asset_path)
        return False
    _level.open_world(world.get_outermost().get_name(), world)
    PROJECT.opened_levels.append(world.get_outermost().get_name())
    return True


def _new_level(asset_path: str) -> bool:
    from ._asset_types import World

    if _assets.find(asset_path) is not None:
        return False
    package, name = _assets.split_path(asset_path)
    world = _assets.create(World, package.rsplit("/", 1)[0], name)
    _level.open_world(package, world)
    return True


class EditorLevelLibrary(BlueprintFunctionLibrary):
    """Level editing, UE4 style (deprecated in UE5 for the subsystems, still widely used)."""

    @classmethod
    def get_editor_world(cls) -> Any:
        """The world open in the editor."""
        return _level.editor_world()

    @classmethod
    def get_game_world(cls) -> Any:
        """None: the mock never plays in editor."""
        return None

    @classmethod
    def get_all_level_actors(cls) -> Array:
        """Every actor in the editor world."""
        return Array.cast(Actor, _level.level_actors())

    @classmethod
    def get_all_level_actors_components(cls) -> Array:
        """Every component of every actor."""
        return Array.cast(ActorComponent, [c for a in _level.level_actors() for c in a._components])

    @classmethod
    def get_selected_level_actors(cls) -> Array:
        """The actors selected in the viewport or Outliner."""
        return Array.cast(Actor, PROJECT.selected_actors)

    @classmethod
    def set_selected_level_actors(cls, actors_to_select: Any) -> None:
        """Replace the selection."""
        _level.select(actors_to_select)

    @classmethod
    def set_actor_selection_state(cls, actor: Actor, should_be_selected: bool) -> None:
        """Add an actor to, or remove it from, the selection."""
        _level.set_selected(actor, should_be_selected)

    @classmethod
    def clear_actor_selection_set(cls) -> None:
        """Select nothing."""
        _level.clear_selection()

    @classmethod
    def select_nothing(cls) -> None:
        """Select nothing."""
        _level.clear_selection()

    @classmethod
    def spawn_actor_from_class(
        cls, actor_class: Any, location: Vector, rotation: Rotator = Rotator(), transient: bool = False
    ) -> Actor:
        """Spawn an actor of a class at a location."""
        return _level.spawn(actor_class, location, rotation)

    @classmethod
    def spawn_actor_from_object(
        cls, object_to_use: Object, location: Vector, rotation: Rotator = Rotator(), transient: bool = False
    ) -> Optional[Actor]:
        """Spawn the actor an asset makes (a mesh actor for a mesh, the blueprint's class...)."""
        return _spawn_from_object(object_to_use, location, rotation)

    @classmethod
    def destroy_actor(cls, actor_to_destroy: Actor) -> bool:
        """Remove an actor from the level."""
        return _level.destroy(actor_to_destroy)

    @classmethod
    def get_actor_reference(cls, path_to_actor: str) -> Optional[Actor]:
        """The actor with this path name, or None."""
        return next((a for a in _level.level_actors() if a.get_path_name() == path_to_actor), None)

    @classmethod
    def save_current_level(cls) -> bool:
        """Save the open map."""
        return _save_current_level()

    @classmethod
    def save_all_dirty_levels(cls) -> bool:
        """Save the open map if it has changes."""
        return _save_current_level()

    @classmethod
    def load_level(cls, asset_path: str) -> bool:
        """Open a map asset."""
        return _load_level(asset_path)

    @classmethod
    def new_level(cls, asset_path: str) -> bool:
        """Create and open a new map."""
        return _new_level(asset_path)

    @classmethod
    def get_level_viewport_camera_info(cls) -> Optional[Tuple[Vector, Rotator]]:
        """(location, rotation) of the viewport camera."""
        return PROJECT.camera or (Vector(), Rotator())

    @classmethod
    def set_level_viewport_camera_info(cls, camera_location: Vector, camera_rotation: Rotator) -> None:
        """Move the viewport camera."""
        PROJECT.camera = (camera_location, camera_rotation)


class EditorActorSubsystem(EditorSubsystem):
    """Actor editing, UE5 style."""

    def get_all_level_actors(self) -> Array:
        """Every actor in the editor world."""
        return EditorLevelLibrary.get_all_level_actors()

    def get_all_level_actors_components(self) -> Array:
        """Every component of every actor."""
        return EditorLevelLibrary.get_all_level_actors_components()

    def get_selected_level_actors(self) -> Array:
        """The selected actors."""
        return EditorLevelLibrary.get_selected_level_actors()

    def set_selected_level_actors(self, actors_to_select: Any) -> None:
        """Replace the selection."""
        _level.select(actors_to_select)

    def set_actor_selection_state(self, actor: Actor, should_be_selected: bool) -> None:
        """Add an actor to, or remove it from, the selection."""
        _level.set_selected(actor, should_be_selected)

    def clear_actor_selection_set(self) -> None:
        """Select nothing."""
        _level.clear_selection()

    def select_nothing(self) -> None:
        """Select nothing."""
        _level.clear_selection()

    def select_all(self, world: Any) -> None:
        """Select every actor."""
        _level.select(_level.level_actors())

    def invert_selection(self, world: Any) -> None:
        """Select exactly the unselected actors."""
        _level.select([a for a in _level.level_actors() if a not in PROJECT.selected_actors])

    def spawn_actor_from_class(
        self, actor_class: Any, location: Vector, rotation: Rotator = Rotator(), transient: bool = False
    ) -> Actor:
        """Spawn an actor of a class."""
        return _level.spawn(actor_class, location, rotation)

    def spawn_actor_from_object(
        self, object_to_use: Object, location: Vector, rotation: Rotator = Rotator(), transient: bool = False
    ) -> Optional[Actor]:
        """Spawn the actor an asset makes."""
        return _spawn_from_object(object_to_use, location, rotation)

    def destroy_actor(self, actor_to_destroy: Actor) -> bool:
        """Remove an actor."""
        return _level.destroy(actor_to_destroy)

    def destroy_actors(self, actors_to_destroy: Any) -> bool:
        """Remove several actors."""
        return all([_level.destroy(a) for a in list(actors_to_destroy)])

    def duplicate_actor(
        self, actor_to_duplicate: Actor, to_world: Any = None, offset: Vector = Vector()
    ) -> Actor:
        """A copy of an actor, moved by `offset`."""
        clone = _level.spawn(
            type(actor_to_duplicate),
            actor_to_duplicate.get_actor_location() + offset,
            actor_to_duplicate.get_actor_rotation(),
        )
        clone.set_actor_scale3d(actor_to_duplicate.get_actor_scale3d())
        clone._props["tags"] = actor_to_duplicate._props["tags"].copy()
        for key, value in actor_to_duplicate._root()._props.items():
            if key not in ("relative_location", "relative_rotation", "relative_scale3d"):
                clone._root()._props[key] = value
        clone.set_folder_path(actor_to_duplicate.get_folder_path())
        return clone

    def duplicate_actors(
        self, actors_to_duplicate: Any, to_world: Any = None, offset: Vector = Vector()
    ) -> Array:
        """Copies of several actors."""
        return Array.cast(
            Actor, [self.duplicate_actor(a, to_world, offset) for a in list(actors_to_duplicate)]
        )

    def set_actor_transform(self, actor: Actor, world_transform: Transform) -> bool:
        """Set an actor's world transform."""
        actor.set_actor_transform(world_transform, False, False)
        return True

    def get_actor_reference(self, path_to_actor: str) -> Optional[Actor]:
        """The actor with this path name, or None."""
        return EditorLevelLibrary.get_actor_reference(path_to_actor)


class LevelEditorSubsystem(EditorSubsystem):
    """Level files and the viewport, UE5 style."""

    def get_current_level(self) -> Any:
        """The persistent level of the editor world."""
        return _level.editor_world()._level

    def save_current_level(self) -> bool:
        """Save the open map."""
        return _save_current_level()

    def save_all_dirty_levels(self) -> bool:
        """Save the open map if it has changes."""
        return _save_current_level()

    def load_level(self, asset_path: str) -> bool:
        """Open a map asset."""
        return _load_level(asset_path)

    def new_level(self, asset_path: str, is_partitioned_world: bool = False) -> bool:
        """Create and open a new map."""
        return _new_level(asset_path)

    def is_in_play_in_editor(self) -> bool:
        """False: the mock never plays in editor."""
        return False

    def get_selection_set(self) -> Any:
        """The selected actors."""
        return Array.cast(Actor, PROJECT.selected_actors)

    def editor_invalidate_viewports(self) -> None:
        """Redraw viewports (nothing to draw in the mock)."""


class UnrealEditorSubsystem(EditorSubsystem):
    """Editor world and viewport camera, UE5 style."""

    def get_editor_world(self) -> Any:
        """The world open in the editor."""
        return _level.editor_world()

    def get_game_world(self) -> Any:
        """None: the mock never plays in editor."""
        return None

    def get_level_viewport_camera_info(self) -> Optional[Tuple[Vector, Rotator]]:
        """(location, rotation) of the viewport camera."""
        return EditorLevelLibrary.get_level_viewport_camera_info()

    def set_level_viewport_camera_info(self, camera_location: Vector, camera_rotation: Rotator) -> None:
        """Move the viewport camera."""
        PROJECT.camera = (camera_location, camera_rotation)
