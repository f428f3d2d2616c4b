"""Rate limits: X-RateLimit-* on every reply, 429 with Retry-After, per address and per signed-in user."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest

from .fixtures import sign_up

pytestmark = pytest.mark.slow


async def test_headers_on_every_reply_and_429_per_address(start_practice: Any) -> None:
    url = await start_practice(rate_limit_ip="5/minute")
    async with aiohttp.ClientSession(url) as http:
        remaining = []
        for path in ("/api/health", "/api/problems", "/api/nothing", "/api/health", "/api/health"):
            async with http.get(path) as r:  # 200, 401, 404: each carries the headers
                assert r.headers["X-RateLimit-Limit"] == "5"
                assert int(r.headers["X-RateLimit-Reset"]) >= int(time.time())
                remaining.append(int(r.headers["X-RateLimit-Remaining"]))
        assert remaining == [4, 3, 2, 1, 0]
        async with http.get("/api/health") as r:
            body = await r.json()
            assert r.status == 429 and body == {"error": body["error"], "code": "RATE_LIMITED", "status": 429}
            assert 1 <= int(r.headers["Retry-After"]) <= 60
            assert r.headers["X-RateLimit-Remaining"] == "0"


async def test_per_user_budget(start_practice: Any) -> None:
    url = await start_practice(rate_limit_user="3/hour")
    async with aiohttp.ClientSession(url) as http:
        _, alice = await sign_up(http, "alice")
        _, bob = await sign_up(http, "bob")
        for left in (2, 1, 0):
            async with http.get("/api/profile", headers=alice) as r:
                assert r.status == 200
                assert (r.headers["X-RateLimit-Limit"], r.headers["X-RateLimit-Remaining"]) == ("3", str(left))
        async with http.get("/api/profile", headers=alice) as r:
            assert r.status == 429 and (await r.json())["code"] == "RATE_LIMITED"
            assert int(r.headers["Retry-After"]) > 60  # the hourly window
        async with http.get("/api/profile", headers=bob) as r:  # another user has their own budget
            assert r.status == 200 and r.headers["X-RateLimit-Remaining"] == "2"


def test_bad_rate_notation_is_refused() -> None:
    from pydantic import ValidationError

    from bridge.practice import PracticeSettings

    with pytest.raises(ValidationError, match="100/minute"):
        PracticeSettings.model_validate({"rate_limit_ip": "lots"})
