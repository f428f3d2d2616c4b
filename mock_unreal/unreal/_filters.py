"""EditorFilterLibrary and GameplayStatics: filtering actor arrays and querying the world."""

from __future__ import annotations

import fnmatch
from typing import Any, List, Optional

from . import _level
from ._containers import Array, Name
from ._enums import EditorScriptingFilterType, EditorScriptingStringMatchType
from ._level import Actor
from ._libraries import BlueprintFunctionLibrary
from ._objects import Object, resolve_class
from ._state import PROJECT


def _filtered(items: Any, keep: Any, filter_type: Any) -> Array:
    include = filter_type is None or filter_type == EditorScriptingFilterType.INCLUDE
    kept = [item for item in items if bool(keep(item)) == include]
    return Array.cast(Object, kept)


def _matches(text: str, pattern: str, string_match: Any, ignore_case: bool = True) -> bool:
    if ignore_case:
        text, pattern = text.lower(), pattern.lower()
    if string_match == EditorScriptingStringMatchType.EXACT_MATCH:
        return text == pattern
    if string_match == EditorScriptingStringMatchType.MATCHES_WILDCARD:
        return fnmatch.fnmatchcase(text, pattern)
    return pattern in text


class EditorFilterLibrary(BlueprintFunctionLibrary):
    """Filter arrays of objects or actors."""

    @classmethod
    def by_class(
        cls, target_array: Any, object_class: Any, filter_type: Any = EditorScriptingFilterType.INCLUDE
    ) -> Array:
        """Objects that are (or are not) instances of a class."""
        wanted = resolve_class(object_class)
        return _filtered(target_array, lambda o: isinstance(o, wanted), filter_type)

    @classmethod
    def by_actor_tag(
        cls, target_array: Any, tag: Any, filter_type: Any = EditorScriptingFilterType.INCLUDE
    ) -> Array:
        """Actors that have (or lack) a tag."""
        return _filtered(target_array, lambda a: a.actor_has_tag(tag), filter_type)

    @classmethod
    def by_actor_label(
        cls,
        target_array: Any,
        name_sub_string: str,
        string_match: Any = EditorScriptingStringMatchType.CONTAINS,
        filter_type: Any = EditorScriptingFilterType.INCLUDE,
        ignore_case: bool = True,
    ) -> Array:
        """Actors whose label matches."""
        return _filtered(
            target_array,
            lambda a: _matches(a.get_actor_label(), name_sub_string, string_match, ignore_case),
            filter_type,
        )

    @classmethod
    def by_id_name(
        cls,
        target_array: Any,
        name_sub_string: str,
        string_match: Any = EditorScriptingStringMatchType.CONTAINS,
        filter_type: Any = EditorScriptingFilterType.INCLUDE,
    ) -> Array:
        """Objects whose object name matches."""
        return _filtered(
            target_array, lambda o: _matches(o.get_name(), name_sub_string, string_match), filter_type
        )

    @classmethod
    def by_selection(cls, target_array: Any, filter_type: Any = EditorScriptingFilterType.INCLUDE) -> Array:
        """Actors that are (or are not) selected."""
        return _filtered(target_array, lambda a: a in PROJECT.selected_actors, filter_type)


class GameplayStatics(BlueprintFunctionLibrary):
    """World queries."""

    @classmethod
    def get_all_actors_of_class(cls, world_context_object: Object, actor_class: Any) -> Array:
        """Every actor of a class in the world of `world_context_object`."""
        wanted = resolve_class(actor_class)
        return Array.cast(Actor, [a for a in _world_actors(world_context_object) if isinstance(a, wanted)])

    @classmethod
    def get_all_actors_with_tag(cls, world_context_object: Object, tag: Any) -> Array:
        """Every actor with a tag."""
        return Array.cast(
            Actor, [a for a in _world_actors(world_context_object) if a.actor_has_tag(Name(tag))]
        )

    @classmethod
    def get_actor_of_class(cls, world_context_object: Object, actor_class: Any) -> Optional[Actor]:
        """The first actor of a class, or None."""
        found = cls.get_all_actors_of_class(world_context_object, actor_class)
        return found[0] if found else None


def _world_actors(world_context_object: Any) -> List[Actor]:
    if world_context_object is None:
        raise TypeError("world_context_object must be a World or an object in one, got None")
    return _level.level_actors()
