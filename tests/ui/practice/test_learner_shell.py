"""The practice app serves the learner shell and the dashboard's files itself, over real HTTP."""
from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from .conftest import Practice

pytestmark = pytest.mark.slow


async def test_the_shell_is_served_at_the_root_under_the_dashboards_policy(practice: Practice) -> None:
    async with aiohttp.ClientSession(practice.url) as http:
        async with http.get("/") as response:
            body = await response.text()
            assert response.status == 200
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            policy = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
            assert "connect-src 'self' ws://127.0.0.1:" in policy  # the duel socket, on the same port
            assert '<script type="module" src="/ui/js/practice-app.js">' in body
            etag = response.headers["ETag"]
        async with http.get("/", headers={"If-None-Match": etag}) as response:
            assert response.status == 304
        for path in ("/ui/js/practice-app.js", "/ui/pages/practice/duel.js", "/ui/pages/trace/stepper.js"):
            async with http.get(path) as response:
                assert response.status == 200, path
                assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
        async with http.get("/ui/css/practice.css") as response:
            assert response.status == 200 and response.headers["Content-Type"] == "text/css; charset=utf-8"


@pytest.mark.parametrize("path", ["/ui/nothing-here.js", "/ui/..%2Fpractice%2Fapp.py", "/ui/.hidden",
                                  "/ui/js/../../api/ui.py"])
async def test_a_file_outside_the_assets_is_404_in_the_seeds_shape(practice: Practice, path: str) -> None:
    async with aiohttp.ClientSession(practice.url) as http, http.get(path) as response:
        reply = await response.json()
    assert response.status == 404
    assert reply["code"] == "NOT_FOUND" and reply["status"] == 404, reply


async def test_loading_the_pages_spends_no_request_budget_and_needs_no_token(serve_practice: Any) -> None:
    async with serve_practice(rate_limit_ip="3/minute") as served, aiohttp.ClientSession(served.url) as http:
        for _ in range(5):
            async with http.get("/ui/js/dom.js") as response:
                assert response.status == 200
                assert "X-RateLimit-Remaining" not in response.headers
        for remaining in ("2", "1", "0"):
            async with http.get("/api/health") as response:
                assert response.status == 200
                assert response.headers["X-RateLimit-Remaining"] == remaining
        async with http.get("/api/health") as response:
            assert response.status == 429
        async with http.get("/") as response:
            assert response.status == 200  # the page still loads, and will say what the API answers
