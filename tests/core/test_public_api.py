"""The package's public surface is deliberate: adding or removing a name is a visible change."""
from __future__ import annotations

import pytest

import bridge


def test_public_names_are_pinned() -> None:
    assert sorted(bridge.__all__) == [
        "ApiError",
        "BridgeHost",
        "Job",
        "JobRunner",
        "JobStatus",
        "JobStore",
        "QueueFull",
        "Settings",
        "TickQueue",
        "__version__",
        "artifact",
        "create_app",
        "progress",
        "step",
    ]
    for name in bridge.__all__:
        assert getattr(bridge, name) is not None


def test_settings_reject_unknown_and_bad_values() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="port"):
        bridge.Settings(port=70000)
    with pytest.raises(ValidationError, match="extra"):
        bridge.Settings(prot=1)  # type: ignore[call-arg]


def test_the_bridge_imports_without_the_posix_only_modules() -> None:
    # Most editors run on Windows, which has no resource, fcntl, termios, pwd or grp: importing the
    # bridge (and so its tracer and sandbox) must not need them; running boxed code does, on Linux.
    import subprocess
    import sys

    hide = "import sys\nfor name in ('resource', 'fcntl', 'termios', 'pwd', 'grp'):\n    sys.modules[name] = None\n"
    code = hide + "import bridge, bridge.api.server, bridge.api, bridge.containment\nprint('imported')\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout == "imported\n", result.stderr


def test_the_tracer_refuses_to_run_uncontained_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    from bridge.containment import prepare

    monkeypatch.setattr("sys.platform", "win32")
    found = prepare("trace", 65534, allow_landlock=True)
    assert found.host is None and found.reason is not None and "need Linux" in found.reason
