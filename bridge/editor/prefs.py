"""Turn off the editor's "Use Less CPU when in Background" while serving, and put it back on stop.

A background editor ticks about 3 times a second (`UEditorEngine::GetMaxTickRate`), so every
request would wait up to ~333 ms for the game thread. The preference lives on the class default
object of `EditorPerformanceSettings`, a class the Python API does not expose (5.6), so it is
found by its object path; every step is guarded: the bridge warns and serves anyway.
"""
from __future__ import annotations

import logging
from types import ModuleType
from typing import Any, Optional, Tuple

from pydantic import BaseModel, ConfigDict, Field

log = logging.getLogger("bridge")

CLASS_PATH = "/Script/UnrealEd.EditorPerformanceSettings"
CDO_PATH = "/Script/UnrealEd.Default__EditorPerformanceSettings"
# bThrottleCPUWhenNotForeground as Python sees it, newest spelling first.
THROTTLE_PROPERTIES: Tuple[str, ...] = (
    "throttle_cpu_when_not_foreground",
    "b_throttle_cpu_when_not_foreground",
)


class EditorSettings(BaseModel):
    """How the bridge adjusts the editor while it serves (`UE_BRIDGE_EDITOR__*`)."""

    model_config = ConfigDict(extra="forbid")

    disable_background_throttle: bool = Field(
        default=True, description="turn off 'Use Less CPU when in Background' while serving"
    )
    attach_engine_log: bool = Field(
        default=True, description="add the engine's own log warnings and errors to the job that ran then"
    )


class BackgroundThrottle:
    """Game thread: switches the preference off and remembers how to restore it."""

    def __init__(self, unreal: ModuleType) -> None:
        self.unreal = unreal
        self._settings: Any = None
        self._property: Optional[str] = None
        self._previous: Any = None

    @property
    def changed(self) -> bool:
        return self._property is not None

    def disable(self) -> bool:
        """Turn throttling off; False (with a warning in the log) when this editor does not allow it."""
        settings, why = self._find_settings()
        if settings is None:
            log.warning(
                "could not turn off 'Use Less CPU when in Background' (%s); turn it off in Editor "
                "Preferences > General > Performance so requests are not slowed while the editor is in the "
                "background", why,
            )
            return False
        for name in THROTTLE_PROPERTIES:
            try:
                previous = settings.get_editor_property(name)
                settings.set_editor_property(name, False)
            except Exception:
                continue  # this engine version spells it differently
            self._settings, self._property, self._previous = settings, name, previous
            if previous:
                log.info("turned off 'Use Less CPU when in Background' while the bridge serves")
            return True
        log.warning(
            "EditorPerformanceSettings has none of %s; turn off 'Use Less CPU when in Background' in Editor "
            "Preferences > General > Performance by hand", ", ".join(THROTTLE_PROPERTIES),
        )
        return False

    def _find_settings(self) -> Tuple[Any, str]:
        """The class default object, by the exposed class when there is one, else by its object path.

        The 5.6 Python API does not expose the class, but the object and its EditAnywhere property
        are reachable through reflection.
        """
        unreal = self.unreal
        attempts = (
            lambda: unreal.get_default_object(unreal.EditorPerformanceSettings),
            lambda: unreal.find_object(None, CDO_PATH),
            lambda: _default_object(unreal, unreal.load_class(None, CLASS_PATH)),
        )
        why = "EditorPerformanceSettings is not reachable from Python in this editor"
        for attempt in attempts:
            try:
                found = attempt()
            except Exception as exc:  # not in this build, or not in the mock
                why = f"{type(exc).__name__}: {exc}"
                continue
            if found is not None:
                return found, ""
        return None, why

    def restore(self) -> None:
        """Put back the value found at start; safe to call when nothing was changed."""
        if self._property is None:
            return
        try:
            self._settings.set_editor_property(self._property, self._previous)
        except Exception as exc:
            log.warning(
                "could not restore 'Use Less CPU when in Background' (%s: %s)", type(exc).__name__, exc
            )
        self._settings, self._property, self._previous = None, None, None


def _default_object(unreal: ModuleType, cls: Any) -> Any:
    return None if cls is None else unreal.get_default_object(cls)
