"""Shared fixtures: a real headless bridge (mock_unreal, a ticking editor loop) served over real HTTP."""
from __future__ import annotations

import os
import tempfile
import threading
from typing import Any, AsyncIterator, Callable, Iterator, List

import aiohttp
import pytest

import mock_unreal
from bridge.config import Settings
from bridge.host import BridgeHost
from mock_unreal.editor import EditorLoop

# `make test` runs the suite on two workers (pytest-xdist): each gets a mock project folder of its own,
# and so does every server or CLI it starts, since they inherit the variable.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER and "UE_MOCK_PROJECT_DIR" not in os.environ:
    _OWN = os.path.join(tempfile.gettempdir(), f"mock_unreal_{os.getuid()}_{_WORKER}", "MockProject")
    os.environ["UE_MOCK_PROJECT_DIR"] = _OWN

unreal = mock_unreal.install()


@pytest.fixture(scope="session")
def editor_loop() -> Iterator[EditorLoop]:
    """The mock editor's game thread, ticking at 200 Hz for the whole session."""
    loop = EditorLoop(tick_rate=200)
    thread = threading.Thread(target=loop.run, name="mock-game-thread", daemon=True)
    thread.start()
    yield loop
    loop.stop()
    thread.join(5)


BridgeFactory = Callable[..., BridgeHost]


@pytest.fixture
def start_bridge(editor_loop: EditorLoop, tmp_path: Any) -> Iterator[BridgeFactory]:
    """Start a BridgeHost on a free loopback port with the given settings; stopped after the test."""
    hosts: List[BridgeHost] = []

    def start(**overrides: Any) -> BridgeHost:
        # The history in the test's own folder, never in the mock project's Saved folder.
        history = overrides.pop("history", {})
        if isinstance(history, dict):
            history = {"data_dir": tmp_path / "data", **history}
        settings = Settings(**{"port": 0, "history": history, **overrides})
        host = BridgeHost(settings, unreal)
        host.start(token_dir=tmp_path)
        hosts.append(host)
        return host

    yield start
    for host in hosts:
        host.stop()


@pytest.fixture
def bridge(start_bridge: BridgeFactory) -> BridgeHost:
    return start_bridge()


@pytest.fixture
async def http(bridge: BridgeHost) -> AsyncIterator[aiohttp.ClientSession]:
    """A real HTTP client pointed at the `bridge` fixture."""
    async with aiohttp.ClientSession(base_url=bridge.url) as session:
        yield session
