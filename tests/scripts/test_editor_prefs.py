"""Background throttling is switched off while serving and restored on stop, guarded everywhere."""
from __future__ import annotations

import logging
from types import ModuleType
from typing import Any, Dict, Iterable

import pytest

from bridge.editor.prefs import CDO_PATH, BackgroundThrottle
from mock_unreal.testing import MockProject

from ..conftest import BridgeFactory


class PerformanceSettings:
    """Like the editor's class default object: unknown property names raise."""

    def __init__(self, names: Iterable[str]) -> None:
        self.values: Dict[str, Any] = {name: True for name in names}

    def get_editor_property(self, name: str) -> Any:
        if name not in self.values:
            raise Exception(f"Failed to find property '{name}' on 'EditorPerformanceSettings'")
        return self.values[name]

    def set_editor_property(self, name: str, value: Any) -> None:
        self.get_editor_property(name)
        self.values[name] = value


def editor_with(settings: Any) -> ModuleType:
    module = ModuleType("unreal")
    module.EditorPerformanceSettings = type(settings)  # type: ignore[attr-defined]
    module.get_default_object = lambda cls: settings  # type: ignore[attr-defined]
    return module


@pytest.mark.parametrize("name", ["throttle_cpu_when_not_foreground", "b_throttle_cpu_when_not_foreground"])
def test_disable_and_restore(name: str) -> None:
    settings = PerformanceSettings([name])
    throttle = BackgroundThrottle(editor_with(settings))
    assert throttle.disable() is True
    assert settings.values[name] is False
    throttle.restore()
    assert settings.values[name] is True
    throttle.restore()  # twice is harmless
    assert settings.values[name] is True


def test_found_by_object_path_when_the_class_is_not_exposed() -> None:
    settings = PerformanceSettings(["throttle_cpu_when_not_foreground"])
    module = ModuleType("unreal")
    module.find_object = lambda outer, path: settings if path == CDO_PATH else None  # type: ignore[attr-defined]
    throttle = BackgroundThrottle(module)
    assert throttle.disable() is True and throttle.changed
    assert settings.values["throttle_cpu_when_not_foreground"] is False


def test_unavailable_setting_warns_and_carries_on(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "bridge")
    assert BackgroundThrottle(editor_with(PerformanceSettings(["something_else"]))).disable() is False
    assert "Editor Preferences > General > Performance" in caplog.text
    caplog.clear()
    assert BackgroundThrottle(ModuleType("unreal")).disable() is False
    assert "could not turn off" in caplog.text


def test_host_switches_it_off_while_serving_unless_told_not_to(
    unreal_project: MockProject, start_bridge: BridgeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreal = unreal_project.unreal
    settings = PerformanceSettings(["throttle_cpu_when_not_foreground"])
    monkeypatch.setattr(unreal, "EditorPerformanceSettings", PerformanceSettings, raising=False)
    original = unreal.get_default_object
    monkeypatch.setattr(
        unreal, "get_default_object", lambda cls: settings if cls is PerformanceSettings else original(cls)
    )
    host = start_bridge()
    assert settings.values["throttle_cpu_when_not_foreground"] is False
    host.stop()
    assert settings.values["throttle_cpu_when_not_foreground"] is True
    start_bridge(editor={"disable_background_throttle": False})
    assert settings.values["throttle_cpu_when_not_foreground"] is True
