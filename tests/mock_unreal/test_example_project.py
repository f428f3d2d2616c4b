"""examples/sample_project: a user's project with its own Content/Python package and pytest suite, run as
its CI would (`pytest` in the project folder, nothing but the installed plugin and the project's ini)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample_project"


@pytest.mark.slow
def test_the_example_projects_suite_passes_headless() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UE_BRIDGE_", "UE_MOCK_", "PYTEST_"))}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-W", "error"], cwd=EXAMPLE, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout
