"""Submissions over real HTTP: every status in every language, XP once, the history; on both backends."""

from __future__ import annotations

import asyncio
from typing import Any, Dict

import aiohttp
import pytest

from bridge.practice.catalogue import load_problems

from .fixtures import require_judge, sign_up

pytestmark = pytest.mark.slow
TWO_SUM = next(p for p in load_problems() if p.title == "Two Sum")
RESULT_KEYS = {"id", "status", "runtime_ms", "memory_kb", "test_results", "xp_earned"}

# language -> status -> a Two Sum submission that ends that way
CODES: Dict[str, Dict[str, str]] = {
    "python": {
        "wrong_answer": "def twoSum(nums, target):\n    return [0, 1]\n",
        "compile_error": "def twoSum(nums, target)\n    return []\n",
        "runtime_error": "def twoSum(nums, target):\n    return nums[99]\n",
        "timeout": "def twoSum(nums, target):\n    while True:\n        pass\n",
        "memory_limit": "def twoSum(nums, target):\n    block = b'x' * (600 * 1024 * 1024)\n    return [len(block)]\n",
    },
    "javascript": {
        "wrong_answer": "function twoSum(nums, target) { return [0, 1]; }",
        "compile_error": "function twoSum(nums, target) { return [0, 1]; ",
        "runtime_error": "function twoSum(nums, target) { return nums.missing.length; }",
        "timeout": "function twoSum(nums, target) { for (;;) {} }",
        "memory_limit": "function twoSum(nums, target) { const b = Buffer.alloc(600 * 1024 * 1024, 1); "
                        "return [b.length]; }",
    },
    "java": {
        "wrong_answer": "class Solution { public int[] twoSum(int[] nums, int target) { return new int[]{0, 1}; } }",
        "compile_error": "class Solution { public int[] twoSum(int[] nums, int target) { return null } }",
        "runtime_error": "class Solution { public int[] twoSum(int[] nums, int target) "
                         "{ return new int[]{nums[99]}; } }",
        "timeout": "class Solution { public int[] twoSum(int[] nums, int target) { while (true) { } } }",
        "memory_limit": "class Solution { public int[] twoSum(int[] nums, int target) { "
                        "long[] block = new long[600 * 1024 * 1024]; return new int[]{block.length}; } }",
    },
    "cpp": {
        "wrong_answer": "class Solution { public: vector<int> twoSum(vector<int>& nums, int target) "
                        "{ return {0, 1}; } };",
        "compile_error": "class Solution { public: vector<int> twoSum(vector<int>& nums, int target) "
                         "{ return undefined_name; } };",
        "runtime_error": "class Solution { public: vector<int> twoSum(vector<int>& nums, int target) "
                         "{ return {nums.at(99)}; } };",
        "timeout": "class Solution { public: vector<int> twoSum(vector<int>& nums, int target) "
                   "{ volatile long n = 0; while (true) { n = n + 1; } } };",
        "memory_limit": "class Solution { public: vector<int> twoSum(vector<int>& nums, int target) "
                        "{ vector<char> block(600u << 20, 'x'); return {(int)block[12345]}; } };",
    },
}


async def submit(http: aiohttp.ClientSession, auth: Dict[str, str], language: str, code: str,
                 problem_id: str = TWO_SUM.id) -> Dict[str, Any]:
    body = {"problem_id": problem_id, "code": code, "language": language}
    async with http.post("/api/submissions", json=body, headers=auth) as r:
        reply = await r.json()
        assert r.status == 201, reply
    assert set(reply) >= RESULT_KEYS, reply
    return dict(reply)


async def test_accepted_earns_xp_once_and_shows_in_history(http: aiohttp.ClientSession, request: Any) -> None:
    require_judge(request)
    _, auth = await sign_up(http)
    first = await submit(http, auth, "python", TWO_SUM.solutions["python"])
    assert first["status"] == "accepted" and first["xp_earned"] == 100
    assert len(first["test_results"]) == len(TWO_SUM.tests)
    assert first["test_results"][0] == {"test_case": 1, "passed": True, "output": "[0,1]"}
    hidden = [r for r, t in zip(first["test_results"], TWO_SUM.tests) if not t.get("public")]
    assert hidden and all(r["output"] is None and r["passed"] for r in hidden)  # hidden outputs are not shown
    assert first["runtime_ms"] > 0 and first["memory_kb"] > 0
    again = await submit(http, auth, "cpp", TWO_SUM.solutions["cpp"])
    assert again["status"] == "accepted" and again["xp_earned"] == 0
    wrong = await submit(http, auth, "python", CODES["python"]["wrong_answer"])
    assert wrong["status"] == "wrong_answer" and wrong["xp_earned"] == 0
    async with http.get("/api/profile", headers=auth) as r:
        assert (await r.json())["xp_total"] == 100
    async with http.get("/api/submissions", headers=auth) as r:
        listed = (await r.json())["submissions"]
    assert [s["id"] for s in listed] == [wrong["id"], again["id"], first["id"]]  # newest first
    assert {"id", "problem_id", "problem_title", "status", "created_at"} <= set(listed[0])
    assert listed[0]["problem_title"] == "Two Sum" and listed[2]["status"] == "accepted"
    _, other = await sign_up(http, "someone_else")
    async with http.get("/api/submissions", headers=other) as r:
        assert (await r.json()) == {"submissions": []}  # each user sees only their own


async def test_racing_accepted_submissions_earn_xp_once(http: aiohttp.ClientSession, request: Any) -> None:
    require_judge(request)
    _, auth = await sign_up(http)
    racing = await asyncio.gather(*(submit(http, auth, "python", TWO_SUM.solutions["python"]) for _ in range(4)))
    assert [r["status"] for r in racing] == ["accepted"] * 4
    assert sorted(r["xp_earned"] for r in racing) == [0, 0, 0, 100]  # the primary key decided, not a prior read
    async with http.get("/api/profile", headers=auth) as r:
        assert (await r.json())["xp_total"] == 100


@pytest.mark.parametrize("language", list(CODES))
@pytest.mark.parametrize("status", ["wrong_answer", "compile_error", "runtime_error", "timeout", "memory_limit"])
async def test_every_status_in_every_language(start_practice: Any, request: Any, language: str, status: str) -> None:
    url = await start_practice(judge_timeout_ms=2000)
    require_judge(request)
    async with aiohttp.ClientSession(url) as http:
        _, auth = await sign_up(http)
        reply = await submit(http, auth, language, CODES[language][status])
    assert reply["status"] == status, reply
    assert reply["xp_earned"] == 0
    if status == "compile_error":
        assert reply["test_results"] == [] and reply["error"]
    else:
        assert len(reply["test_results"]) == len(TWO_SUM.tests)
        assert not all(r["passed"] for r in reply["test_results"])
    if status == "runtime_error":
        assert reply["test_results"][0]["error"]  # a public case shows its exception


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"problem_id": TWO_SUM.id, "code": "x", "language": "ruby"}, 400, "language must be one of"),
        ({"problem_id": TWO_SUM.id, "language": "python"}, 400, "Missing required field: code"),
        ({"problem_id": TWO_SUM.id, "code": "", "language": "python"}, 400, "code"),
        ({"problem_id": "nope", "code": "x", "language": "python"}, 404, "Problem not found"),
    ],
)
async def test_bad_submissions(http: aiohttp.ClientSession, body: Dict[str, Any], status: int, message: str) -> None:
    _, auth = await sign_up(http)
    async with http.post("/api/submissions", json=body, headers=auth) as r:
        reply = await r.json()
        assert r.status == status and message in reply["error"], reply
