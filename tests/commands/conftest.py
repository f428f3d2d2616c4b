"""A CommandRunner over a memory history, with real subprocesses, and helpers to watch them."""
from __future__ import annotations

import asyncio
import shlex
import sys
import uuid
from pathlib import Path
from typing import AsyncIterator, Callable, List

import psutil
import pytest

from bridge.commands import CommandRunner
from bridge.runs import MemoryStore, RunHistory
from bridge.runs.settings import HistorySettings

MARKER = "BRIDGE_COMMAND_TEST_MARKER"


@pytest.fixture
def history() -> RunHistory:
    return RunHistory(MemoryStore())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    path.mkdir()
    return path


@pytest.fixture
async def runner(history: RunHistory, project: Path) -> AsyncIterator[CommandRunner]:
    commands = CommandRunner(history, HistorySettings(command_timeout=60), project, kill_grace=0.5)
    yield commands
    await commands.close()


@pytest.fixture
def marker() -> str:
    """A value for MARKER in a command's environment: every process it starts inherits it."""
    return uuid.uuid4().hex


def py(code: str, *args: str) -> str:
    """A command line running `code` with this interpreter."""
    return shlex.join([sys.executable, "-c", code, *args])


def marked(marker: str) -> List[psutil.Process]:
    """Live processes (not zombies) whose environment carries `marker`."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.status() != psutil.STATUS_ZOMBIE and process.environ().get(MARKER) == marker:
                found.append(process)
        except psutil.Error:
            continue
    return found


async def eventually(condition: Callable[[], bool], tries: int = 500) -> None:
    """Wait until `condition()` holds (bounded by tries, never by a wall-clock assertion)."""
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition never held")


async def none_left(marker: str) -> bool:
    """True once no process carrying `marker` lives (a SIGKILLed process may take a moment to go)."""
    for _ in range(250):
        if not marked(marker):
            return True
        await asyncio.sleep(0.02)
    return False
