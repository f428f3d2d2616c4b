"""Realistic editor scripts, in the styles found in the wild, sent through the real server as `__main__`."""
from __future__ import annotations

import asyncio

import aiohttp
import pytest

from mock_unreal.editor import EditorLoop
from mock_unreal.testing import MockProject, unreal_project
from tests.mock_unreal.wild_expectations import SCRIPTS_DIR, SEED, WILD_SCRIPTS

from .helpers import execute

__all__ = ["unreal_project"]


@pytest.mark.parametrize("name", sorted(WILD_SCRIPTS))
async def test_wild_script_over_http(
    http: aiohttp.ClientSession, unreal_project: MockProject, editor_loop: EditorLoop, name: str
) -> None:
    expectation = WILD_SCRIPTS[name]
    unreal_project.seed(SEED)
    if expectation.prepare is not None:
        expectation.prepare(unreal_project)
    code = (SCRIPTS_DIR / name).read_text(encoding="utf-8")
    reply = await execute(http, code, name=name, timeout=60)
    assert reply["status"] == "completed", reply.get("traceback")
    if expectation.ticks:
        target = editor_loop.frame_count + expectation.ticks + 1
        while editor_loop.frame_count < target:
            await asyncio.sleep(0.005)
    expectation.check(unreal_project, reply["output"])
