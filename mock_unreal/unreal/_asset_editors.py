"""Asset editors: which assets have an editor open (recorded; no window headless)."""

from __future__ import annotations

from typing import Any

from ._libraries import EditorSubsystem
from ._objects import Object
from ._state import PROJECT
from ._structs import EnumBase


class AssetEditorOpenLocation(EnumBase):
    """Where an asset editor opens."""

    DEFAULT = 0
    NEW_WINDOW = 1
    MAIN_WINDOW = 2
    CONTENT_BROWSER = 3
    LAST_DOCKED_WINDOW_OR_NEW_WINDOW = 4
    LAST_DOCKED_WINDOW_OR_MAIN_WINDOW = 5
    LAST_DOCKED_WINDOW_OR_CONTENT_BROWSER = 6


class AssetEditorSubsystem(EditorSubsystem):
    """Opens and closes asset editors; tests read what is open from `MockProject.open_editors`."""

    def open_editor_for_assets(self, assets: Any, opened_method: Any = None) -> None:
        """Open an editor for each asset (an asset already open stays open once)."""
        for asset in assets:
            if not isinstance(asset, Object):
                raise TypeError(f"assets must hold unreal.Object, got {type(asset).__name__}")
            if asset not in PROJECT.open_editors:
                PROJECT.open_editors.append(asset)

    def close_all_editors_for_asset(self, asset: Any) -> None:
        """Close the asset's editors."""
        PROJECT.open_editors = [a for a in PROJECT.open_editors if a is not asset]
