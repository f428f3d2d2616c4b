"""A missing system component: under CI it fails the run, elsewhere the test is skipped with the reason."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> None:
    """Fail under CI=true (nothing may be skipped there); skip with `reason` elsewhere."""
    if IN_CI:
        pytest.fail(f"CI=true and a required component is missing: {reason}")
    pytest.skip(reason)
