"""Settings from defaults, a file, PORT and UE_BRIDGE_* variables, highest last."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bridge.config import Settings, load_settings_file

UE_BRIDGE = str(Path(sys.executable).with_name("ue-bridge"))


def test_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "bridge.yaml"
    config.write_text("port: 9100\nqueue_limit: 5\nallowed_origins: ['http://tools.local']\n")
    monkeypatch.setenv("UE_BRIDGE_CONFIG", str(config))
    monkeypatch.setenv("PORT", "9000")
    settings = Settings()
    assert (settings.port, settings.queue_limit, settings.allowed_origins) == (9100, 5, ["http://tools.local"])
    monkeypatch.setenv("UE_BRIDGE_PORT", "9200")
    monkeypatch.setenv("UE_BRIDGE_ALLOWED_ORIGINS", '["http://a.local"]')
    assert Settings().port == 9200 and Settings().allowed_origins == ["http://a.local"]
    assert Settings(port=1).port == 1


def test_plain_port_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UE_BRIDGE_PORT", raising=False)
    monkeypatch.setenv("PORT", "8123")
    assert Settings().port == 8123


def test_json_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"tick_budget_ms": 4}')
    assert load_settings_file(path) == {"tick_budget_ms": 4}


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("missing.json", None, "cannot read settings file"),
        ("bad.json", "{port: 1", "is not valid json"),
        ("bad.yaml", "port: [1", "is not valid yaml"),
        ("list.json", "[1, 2]", "must hold a mapping"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_settings_file(path)


def test_serve_refuses_bad_settings(tmp_path: Path) -> None:
    config = tmp_path / "bridge.json"
    config.write_text('{"queue_limit": 0}')
    result = subprocess.run([UE_BRIDGE, "serve", "--config", str(config)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "invalid settings" in result.stderr and "queue_limit" in result.stderr


def test_linger_is_bounded_by_the_budget() -> None:
    from bridge.editor.tickqueue import TickQueue

    with pytest.raises(ValueError, match="linger_ms must be between 0 and budget_ms"):
        TickQueue(budget_ms=2, linger_ms=3)


@pytest.mark.parametrize(
    ("values", "field"),
    [({"max_timeout": 7200}, "max_timeout"), ({"trace": {"max_steps_limit": 20_000}}, "max_steps_limit")],
)
def test_limits_beyond_what_requests_may_ask_are_refused(values: dict, field: str) -> None:
    # The request models are bounded by the defaults; a larger setting would be silently unusable.
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=field):
        Settings(**values)
