"""Which package references a dependency query returns: hard (properties, placed actors) or soft (seeded)."""

from __future__ import annotations

from typing import Any, List, Set

from ._core import prop
from ._state import PROJECT
from ._structs import StructBase


class AssetRegistryDependencyOptions(StructBase):
    """Which kinds of reference get_dependencies/get_referencers follow (defaults as in the editor)."""

    _editor_properties_ = {
        "include_soft_package_references": prop(True),
        "include_hard_package_references": prop(True),
        "include_searchable_names": prop(False),
        "include_soft_management_references": prop(False),
        "include_hard_management_references": prop(False),
    }

    def __init__(
        self,
        include_soft_package_references: bool = True,
        include_hard_package_references: bool = True,
        include_searchable_names: bool = False,
        include_soft_management_references: bool = False,
        include_hard_management_references: bool = False,
    ) -> None:
        super().__init__(
            include_soft_package_references=include_soft_package_references,
            include_hard_package_references=include_hard_package_references,
            include_searchable_names=include_searchable_names,
            include_soft_management_references=include_soft_management_references,
            include_hard_management_references=include_hard_management_references,
        )


def soft_references(package: str) -> Set[str]:
    """Packages `package` refers to softly (seeded with `soft_references`)."""
    return set(PROJECT.soft_references.get(package, set()))


def dependencies(package: str, options: Any) -> List[str]:
    """What `package` depends on, filtered by the options' hard/soft package flags."""
    from ._assets import find, references_of

    asset = find(package)
    if asset is None:
        return []
    soft = soft_references(package)
    hard = references_of(asset) - soft
    return sorted(_pick(options, hard, soft))


def referencers(package: str, options: Any) -> List[str]:
    """Who refers to `package`, filtered by the options' hard/soft package flags."""
    from ._assets import referencers_of

    every = referencers_of(package)
    soft = {other for other, targets in PROJECT.soft_references.items() if package in targets}
    chosen = _pick(options, set(every) - soft, soft)
    return [p for p in every if p in chosen]


def _pick(options: Any, hard: Set[str], soft: Set[str]) -> Set[str]:
    if options is None:
        options = AssetRegistryDependencyOptions()
    if not isinstance(options, AssetRegistryDependencyOptions):
        raise TypeError(
            f"NativizeProperty: Cannot nativize '{type(options).__name__}' as 'AssetRegistryDependencyOptions'"
        )
    chosen: Set[str] = set()
    if options.include_hard_package_references:
        chosen |= hard
    if options.include_soft_package_references:
        chosen |= soft
    return chosen
