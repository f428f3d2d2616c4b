"""Every script in wild_scripts/ runs on the mock (runpy, as `__main__`) with asserted effects."""

from __future__ import annotations

import contextlib
import io
import time

import pytest

from mock_unreal.editor import EditorLoop
from mock_unreal.testing import MockProject

from .wild_expectations import SCRIPTS_DIR, SEED, WILD_SCRIPTS


def test_every_script_has_an_expectation() -> None:
    on_disk = {p.name for p in SCRIPTS_DIR.glob("*.py")}
    assert on_disk == set(WILD_SCRIPTS)
    assert len(on_disk) >= 48  # 18, then 30 more with issue 14


@pytest.mark.parametrize("name", sorted(WILD_SCRIPTS))
def test_wild_script(unreal_project: MockProject, editor_loop: EditorLoop, name: str) -> None:
    expectation = WILD_SCRIPTS[name]
    unreal_project.seed(SEED)
    if expectation.prepare is not None:
        expectation.prepare(unreal_project)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        unreal_project.run_script(SCRIPTS_DIR / name)
    # The suite's one game thread ticks the script's callbacks; a second ticker would race it.
    target = editor_loop.frame_count + expectation.ticks + 1
    for _ in range(2000):  # bounded wait for frames, not a timing assertion
        if editor_loop.frame_count >= target:
            break
        time.sleep(0.005)
    expectation.check(unreal_project, out.getvalue())


@pytest.mark.parametrize("name", sorted(WILD_SCRIPTS))
def test_check_fails_when_the_script_did_nothing(unreal_project: MockProject, name: str) -> None:
    """Each check asserts effects only the script produces: it fails on the untouched seed."""
    expectation = WILD_SCRIPTS[name]
    unreal_project.seed(SEED)
    if expectation.prepare is not None:
        expectation.prepare(unreal_project)
    with pytest.raises((AssertionError, KeyError, AttributeError, FileNotFoundError)):
        expectation.check(unreal_project, "")
