"""The learner pages in chromium against a real practice app (real sandbox judging, real tracer).

- `practice`: one practice app per module and per backend (SQLite, PostgreSQL), as a `Practice` with its URL
  and app; the judge must be able to run code (else the test is skipped, or fails under CI).
- `serve_practice(**settings)`: start another app (its own data dir) for a test that needs other settings.
- `sign_up_page(page, url, name)`: a learner signed up through the page's own form, on the problem list.
- `other_page`: a second page in its own browser context (another learner), screenshotted on failure.

The `page` fixture and the session's browser come from tests/ui/conftest.py.
"""
from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web

from bridge.practice import create_app
from bridge.practice.state import JUDGE
from tests.needs import missing
from tests.practice.fixtures import BACKENDS, build_cache, postgres, practice_settings  # noqa: F401
from tests.practice.postgres import PostgresServer
from tests.ui.conftest import browser_page


@dataclass
class Practice:
    url: str
    app: web.Application


@contextlib.asynccontextmanager
async def running(data_dir: Path, cache_dir: str, **overrides: Any) -> AsyncIterator[Practice]:
    app = create_app(practice_settings(data_dir, cache_dir, **{"judge_timeout_ms": 5000, **overrides}))
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield Practice(f"http://127.0.0.1:{runner.addresses[-1][1]}", app)
    finally:
        await runner.cleanup()


@pytest_asyncio.fixture(scope="module", loop_scope="session", params=BACKENDS)
async def practice(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                   build_cache: str) -> AsyncIterator[Practice]:  # noqa: F811
    data_dir = tmp_path_factory.mktemp("practice-ui")
    database_url = f"sqlite+aiosqlite:///{data_dir / 'practice.db'}"
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres")
        database_url = await server.create_database(f"practice_ui_{uuid.uuid4().hex[:12]}")
    async with running(data_dir, build_cache, database_url=database_url) as served:
        reason = served.app[JUDGE].runner.reason
        if reason is not None:
            missing(f"the sandbox cannot judge here: {reason}")
        yield served


@pytest.fixture
def serve_practice(tmp_path: Path, build_cache: str) -> Any:  # noqa: F811
    return lambda **overrides: running(tmp_path / f"data-{uuid.uuid4().hex[:6]}", build_cache, **overrides)


async def sign_up_page(page: Any, url: str, name: str) -> None:
    """Sign `name` up through the form (email `<name>@example.com`, password `password123`)."""
    await page.goto(f"{url}/#/signup")
    await page.wait_for_selector('main#main[data-ready="signup"]', state="attached")
    await page.locator("#signup-email").fill(f"{name}@example.com")
    await page.locator("#signup-username").fill(name)
    await page.locator("#signup-password").fill("password123")
    await page.get_by_role("button", name="Sign up", exact=True).click()
    await page.wait_for_selector('main#main[data-ready="problems"]', state="attached")


@pytest_asyncio.fixture(loop_scope="session")
async def other_page(browser: Any, request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    async with browser_page(browser, request, tmp_path / "failure-other.png", "the second page") as opened:
        yield opened
