"""The dashboard in a real browser: Playwright driving Debian's chromium against a real headless host.

Fixtures for every test file in tests/ui/ (mark the tests `@pytest.mark.slow`):

- `bridge_url`: the base URL (`http://127.0.0.1:<port>`) of a headless host without a token.
- `token_bridge_url`: the same for a host that requires the token `BRIDGE_TOKEN`.
- `page`: a Playwright async Page in a fresh browser context, 1280x800, pointed nowhere: `await
  page.goto(f"{bridge_url}/#/trace")`. An uncaught exception in the page fails the test; when a test fails,
  a screenshot of the page is saved as `failure.png` in the test's tmp_path (the path is printed).
- `open_page(url, route)`: goto `url/route` (route like `#/runs`) and wait until the page module's mount()
  has resolved: the shell then sets `<main data-ready="<page>">` (`run` for `#/runs/<id>`).

One chromium runs for the whole session; each test gets its own context, so storage (the token) and
pages never leak between tests. Under CI=true a missing playwright or chromium fails instead of skipping.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Generator, List

import pytest
import pytest_asyncio

from bridge.host import BridgeHost
from tests.browser import CHROMIUM, CHROMIUM_ARGS, playwright_chromium

BRIDGE_TOKEN = "dashboard-test-token"
VIEWPORT = {"width": 1280, "height": 800}
UI_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    # The browser is started once per session, on the session's event loop: the tests here must run on it too.
    session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if UI_DIR in Path(str(item.path)).parents and item.get_closest_marker("asyncio") is not None:
            item.add_marker(session_loop, append=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash.setdefault(OUTCOMES, {})[report.when] = report.failed
    return report


OUTCOMES = pytest.StashKey[Dict[str, bool]]()


@pytest.fixture
def bridge_url(bridge: BridgeHost) -> str:
    return bridge.url


@pytest.fixture
def token_bridge(start_bridge: Any) -> BridgeHost:
    """A headless host that requires `BRIDGE_TOKEN` on every request but the probes and the dashboard's files."""
    host: BridgeHost = start_bridge(token=BRIDGE_TOKEN)
    return host


@pytest.fixture
def token_bridge_url(token_bridge: BridgeHost) -> str:
    return token_bridge.url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Any]:
    async_playwright = playwright_chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


@contextlib.asynccontextmanager
async def browser_page(browser: Any, request: pytest.FixtureRequest, shot: Path, who: str) -> AsyncIterator[Any]:
    """A page in a browser context of its own; an uncaught page error fails the test, and a failed test
    leaves a screenshot at `shot`."""
    context = await browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(10_000)
    opened = await context.new_page()
    errors: List[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield opened
        assert not errors, f"{who} threw: {errors}"
    finally:
        if any(request.node.stash.get(OUTCOMES, {}).values()) or errors:
            try:
                await opened.screenshot(path=str(shot), full_page=True)
                print(f"screenshot of {who}: {shot}")
            except Exception as exc:  # the page may have crashed: the failure itself is what matters
                print(f"no screenshot ({exc})")
        await context.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Any, request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    async with browser_page(browser, request, tmp_path / "failure.png", "the page") as opened:
        yield opened


OpenPage = Callable[[str, str], Awaitable[Any]]


@pytest.fixture
def open_page(page: Any) -> OpenPage:
    """Open `url` at `route` (`#/console`) and wait until the page has mounted into <main>."""

    async def go(url: str, route: str) -> Any:
        await page.goto(f"{url}/{route}")
        await page.wait_for_selector("main#main[data-ready]", state="attached")
        return page

    return go
