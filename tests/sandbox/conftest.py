"""Fixtures: a real SandboxRunner (bubblewrap, cgroups, the host's toolchains) per test."""

from __future__ import annotations

import os
from typing import Any, AsyncIterator, Dict

import psutil
import pytest

from bridge.sandbox import ExecuteRequest, ExecuteResponse, SandboxRunner, SandboxSettings
from bridge.sandbox.runtimes import Language, discover
from tests.needs import missing

BOX_UID = 65534


@pytest.fixture(scope="session")
def languages() -> Dict[str, Language]:
    return discover()


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: Any) -> str:
    path = tmp_path_factory.mktemp("sandbox-cache")
    os.chmod(path, 0o700)
    return str(path)


def make_settings(cache_dir: str, **overrides: Any) -> SandboxSettings:
    values: Dict[str, Any] = {"cache_dir": cache_dir, "warm_pool_size": 0}
    values.update(overrides)
    return SandboxSettings(**values)


@pytest.fixture
async def runner(languages: Dict[str, Language], cache_dir: str) -> AsyncIterator[SandboxRunner]:
    """A started runner without warm pools (tests that want pools build their own)."""
    r = SandboxRunner(make_settings(cache_dir), languages=languages)
    await r.start()
    if r.reason is not None:
        await r.close()
        missing(f"the sandbox cannot run here: {r.reason}")
    yield r
    assert r.cgroups is not None
    parents = list(r.cgroups.parents.values())
    await r.close()
    # rmdir of a cgroup fails while any process is in it: gone dirs mean no box process outlived its run.
    assert not [p for p in parents if p.exists()], "a box process outlived its run"


def need(runner: SandboxRunner, language: str) -> None:
    if not runner.languages[language].toolchains:
        missing(runner.languages[language].reason or f"{language} missing")


def box_processes() -> list:
    """Host processes running as the box uid (there must be none once runs are over)."""
    found = []
    for p in psutil.process_iter(["uids", "cmdline"]):
        try:
            if p.info["uids"] and p.info["uids"].real == BOX_UID:
                found.append(p.info["cmdline"])
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


async def run(runner: SandboxRunner, language: str, code: str, **kw: Any) -> ExecuteResponse:
    need(runner, language)
    return await runner.run(ExecuteRequest(code=code, language=language, **kw))
