"""Problems over real HTTP on both backends: list, filters, pagination, one problem, never its solution or tests."""

from __future__ import annotations

from typing import Any, Dict

import aiohttp
import pytest

from bridge.practice.catalogue import load_problems

from .fixtures import sign_up

pytestmark = pytest.mark.slow
SHIPPED = load_problems()


async def listing(http: aiohttp.ClientSession, auth: Dict[str, str], query: str = "") -> Dict[str, Any]:
    async with http.get(f"/api/problems{query}", headers=auth) as r:
        body = await r.json()
        assert r.status == 200, body
        return dict(body)


async def test_list_filters_and_pages(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    everything = await listing(http, auth, "?limit=100")
    assert everything["total"] == len(SHIPPED) == len(everything["problems"])
    first = everything["problems"][0]
    assert first["title"] == "Two Sum" and first["difficulty"] == "easy" and first["tags"] == ["arrays", "hash-table"]
    assert {"id", "title", "description", "difficulty", "language", "tags"} <= set(first)
    assert first["language"] == "python"
    default = await listing(http, auth)
    assert len(default["problems"]) == min(20, len(SHIPPED))
    for difficulty in ("easy", "medium", "hard"):
        found = await listing(http, auth, f"?difficulty={difficulty}&limit=100")
        assert found["total"] == sum(p.difficulty == difficulty for p in SHIPPED) > 0
        assert {p["difficulty"] for p in found["problems"]} == {difficulty}
    both = await listing(http, auth, "?tags=arrays,hash-table&limit=100")
    assert both["total"] == sum({"arrays", "hash-table"} <= set(p.tags) for p in SHIPPED) >= 1
    assert all({"arrays", "hash-table"} <= set(p["tags"]) for p in both["problems"])
    java = await listing(http, auth, "?language=java&limit=100")
    assert java["total"] == len(SHIPPED) and {p["language"] for p in java["problems"]} == {"java"}
    page = await listing(http, auth, "?limit=2&offset=1")
    assert [p["id"] for p in page["problems"]] == [p["id"] for p in everything["problems"][1:3]]
    assert page["total"] == len(SHIPPED)
    assert (await listing(http, auth, "?tags=no-such-tag"))["total"] == 0


@pytest.mark.parametrize("query", ["?difficulty=intermediate", "?language=ruby", "?limit=0", "?limit=101",
                                   "?limit=ten", "?offset=-1"])
async def test_bad_filters_are_400(http: aiohttp.ClientSession, query: str) -> None:
    _, auth = await sign_up(http)
    async with http.get(f"/api/problems{query}", headers=auth) as r:
        body = await r.json()
        assert r.status == 400 and body["code"] == "INVALID_INPUT", body
        assert query.split("=")[0].strip("?") in body["error"]


async def test_one_problem_never_reveals_solutions_or_tests(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    for shipped in SHIPPED:
        async with http.get(f"/api/problems/{shipped.id}?language=cpp", headers=auth) as r:
            text = await r.text()
            body = await r.json()
        assert r.status == 200
        assert body["id"] == shipped.id and body["title"] == shipped.title and body["tags"] == sorted(set(shipped.tags))
        assert body["starter_code"] == body["starter_codes"]["cpp"] and "class Solution" in body["starter_code"]
        assert set(body["starter_codes"]) == {"python", "javascript", "java", "cpp"}
        assert "solution_code" not in body and "test_cases" not in body
        for language, solution in shipped.solutions.items():  # not even the longest line of any solution's body
            starter = body["starter_codes"][language]
            body_lines = [line.strip() for line in solution.splitlines() if line.strip() not in starter]
            assert body_lines and max(body_lines, key=len) not in text
    two_sum = next(p for p in SHIPPED if p.title == "Two Sum")
    async with http.get(f"/api/problems/{two_sum.id}", headers=auth) as r:
        assert (await r.json())["starter_code"].startswith("def twoSum(nums, target):\n    # Your code here")


async def test_unknown_problem_is_404(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    async with http.get("/api/problems/00000000-0000-0000-0000-000000000000", headers=auth) as r:
        assert await r.json() == {"error": "Problem not found", "code": "NOT_FOUND", "status": 404}
