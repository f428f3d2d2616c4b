"""The package's public surface is deliberate: adding or removing a name is a visible change."""
from __future__ import annotations

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
        "create_app",
    ]
    for name in bridge.__all__:
        assert getattr(bridge, name) is not None


def test_settings_reject_unknown_and_bad_values() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="port"):
        bridge.Settings(port=70000)
    with pytest.raises(ValidationError, match="extra"):
        bridge.Settings(prot=1)  # type: ignore[call-arg]
