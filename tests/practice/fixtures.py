"""Fixtures and helpers: the practice app served for real on a loopback port, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Iterator, List, Tuple

import aiohttp
import pytest
from aiohttp import web

from bridge.practice import PracticeSettings, create_app
from bridge.practice.state import JUDGE
from tests.needs import missing

from .postgres import PostgresServer, find_binaries

BACKENDS = ["sqlite", "postgresql"]

@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    binaries = find_binaries()
    if binaries is None:
        missing("PostgreSQL is not installed (apt-get install postgresql)")
    assert binaries is not None
    server = PostgresServer(binaries)
    try:
        server.start()
    except Exception as exc:
        server.stop()
        missing(f"PostgreSQL did not start: {exc}")
    yield server
    server.stop()

@pytest.fixture(scope="session")
def build_cache(tmp_path_factory: Any) -> str:
    path = tmp_path_factory.mktemp("practice-build-cache")
    os.chmod(path, 0o700)
    return str(path)

def practice_settings(data_dir: Any, cache_dir: str, **overrides: Any) -> PracticeSettings:
    """Settings for a test's app: its own data dir, the session's build cache, no rate limit in the way."""
    values: Dict[str, Any] = {
        "data_dir": data_dir,
        "rate_limit_ip": "100000/minute",
        "rate_limit_user": "100000/hour",
        "sandbox": {"cache_dir": cache_dir, "warm_pool_size": 0},
    }
    return PracticeSettings(**{**values, **overrides})


Practice = Callable[..., Awaitable[str]]

@pytest.fixture
async def start_practice(tmp_path: Any, build_cache: str, request: Any) -> AsyncIterator[Practice]:
    """Start the app on a free loopback port (SQLite unless `database_url` is given); returns its base URL."""
    runners: List[web.AppRunner] = []

    async def start(**overrides: Any) -> str:
        values = {"data_dir": tmp_path / f"data-{len(runners)}", "judge_timeout_ms": 3000, **overrides}
        app = create_app(practice_settings(values.pop("data_dir"), build_cache, **values))
        runner = web.AppRunner(app)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[-1][1]
        request.node.practice_app = app
        return f"http://127.0.0.1:{port}"

    yield start
    for runner in runners:
        await runner.cleanup()

@pytest.fixture(params=BACKENDS)
async def database_url(request: Any, tmp_path: Any) -> str:
    """A fresh empty database of each backend."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'practice.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return await server.create_database(f"practice_{uuid.uuid4().hex[:12]}")

@pytest.fixture
async def base_url(start_practice: Practice, database_url: str) -> str:
    return await start_practice(database_url=database_url)

@pytest.fixture
async def http(base_url: str) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url) as session:
        yield session

async def sign_up(http: aiohttp.ClientSession, name: str = "john_dev") -> Tuple[str, Dict[str, str]]:
    """A new account; returns its id and the Authorization header of its token."""
    body = {"email": f"{name}@example.com", "password": "password123", "username": name}
    async with http.post("/api/auth/signup", json=body) as response:
        reply = await response.json()
        assert response.status == 201, reply
    return reply["user"]["id"], {"Authorization": f"Bearer {reply['session']['access_token']}"}

def require_judge(request: Any) -> None:
    """Skip (fail under CI) when the sandbox cannot run code on this host."""
    reason = request.node.practice_app[JUDGE].runner.reason
    if reason is not None:
        missing(f"the sandbox cannot judge here: {reason}")
