"""A real browser for tests: Playwright's async API driving Debian's chromium, required under CI."""
from __future__ import annotations

import os
import shutil
from typing import Any

from tests.needs import missing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def playwright_chromium() -> Any:
    """Playwright's async API with Debian's chromium; fails under CI when either is missing, else skips."""
    absent = None
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        absent = "playwright is not installed (pip install -e '.[dev]')"
    if absent is None and not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        absent = "chromium is not installed (apt-get install -y chromium)"
    if absent is not None:
        missing(absent)
    return async_playwright
