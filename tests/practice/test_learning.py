"""The learning path over real HTTP on both backends: roadmaps, lessons, XP once per lesson, level-ups, errors."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import aiohttp
import pytest

from bridge.practice.learning import load_catalogue

from .fixtures import sign_up

pytestmark = pytest.mark.slow
ERROR_KEYS = {"error", "code", "status"}
CATALOGUE = load_catalogue()
LESSONS_OF_50 = [lesson.id for lesson in CATALOGUE.lessons.values() if lesson.xp == 50]


async def error(response: aiohttp.ClientResponse, status: int, code: str) -> str:
    body = await response.json()
    assert response.status == status, body
    assert set(body) == ERROR_KEYS and body["code"] == code and body["status"] == status, body
    return str(body["error"])


async def complete(http: aiohttp.ClientSession, auth: Dict[str, str], lesson: str) -> Dict[str, Any]:
    async with http.post(f"/api/lessons/{lesson}/complete", headers=auth) as r:
        reply = await r.json()
        assert r.status == 200, reply
    return dict(reply)


async def xp_total(http: aiohttp.ClientSession, auth: Dict[str, str]) -> int:
    async with http.get("/api/profile", headers=auth) as r:
        return int((await r.json())["xp_total"])


async def test_roadmap_is_built_from_topics_and_kept(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http, "learner")
    async with http.get("/api/roadmap", headers=auth) as r:
        assert "POST /api/roadmap" in await error(r, 404, "NOT_FOUND")

    # names match whatever their case and spacing, and a topic asked twice appears once
    async with http.post("/api/roadmap", json={"topics": ["python  basics", "Algorithms", "Python Basics"]},
                         headers=auth) as r:
        made = await r.json()
        assert r.status == 201, made
    assert set(made) == {"id", "topics", "skills", "levels", "generated_at"} and made["generated_at"].endswith("Z")
    assert made["topics"] == ["Python Basics", "Algorithms"]
    assert made["skills"] == {
        "Python Basics": {"level": 1, "lessons": ["intro_to_python", "variables_types", "control_flow",
                                                  "python_functions", "python_lists_dicts"]},
        "Algorithms": {"level": 3, "lessons": ["two_pointers", "sliding_window", "prefix_products",
                                               "sorting_and_intervals", "binary_search", "backtracking",
                                               "dynamic_programming"]},
    }
    # 5 lessons of 50 XP and 7 of 100 make 950 XP: level 2, so the path shows levels 1 to 3
    assert made["levels"] == [{"level": 1, "xp_required": 0}, {"level": 2, "xp_required": 500},
                              {"level": 3, "xp_required": 1500}]
    async with http.get("/api/roadmap", headers=auth) as r:
        assert r.status == 200 and await r.json() == made

    async with http.post("/api/roadmap", json={"topics": ["Java Basics"]}, headers=auth) as r:
        newer = await r.json()
        assert r.status == 201, newer
    assert newer["id"] != made["id"]
    assert newer["skills"] == {"Java Basics": {"level": 1, "lessons": ["intro_to_java", "java_arrays_strings",
                                                                       "java_collections"]}}
    assert newer["levels"] == [{"level": 1, "xp_required": 0}, {"level": 2, "xp_required": 500}]
    async with http.get("/api/roadmap", headers=auth) as r:
        assert await r.json() == newer  # the newest roadmap is the current one

    _, other = await sign_up(http, "someone_else")
    async with http.get("/api/roadmap", headers=other) as r:
        await error(r, 404, "NOT_FOUND")  # roadmaps are per user


@pytest.mark.parametrize("body, message", [
    ({}, "Missing required field: topics"),
    ({"topics": []}, "topics:"),
    ({"topics": "Python Basics"}, "topics:"),
    ({"topics": [5]}, "topics.0:"),
    ({"topics": ["Python Basics"], "extra": 1}, "extra:"),
    ({"topics": ["Python Basics", "Machine Learning"]}, "Unknown topic 'Machine Learning'; choose from Python"),
])
async def test_roadmap_refuses_bad_bodies(http: aiohttp.ClientSession, body: Dict[str, Any], message: str) -> None:
    _, auth = await sign_up(http)
    async with http.post("/api/roadmap", json=body, headers=auth) as r:
        assert message in await error(r, 400, "INVALID_INPUT")
    async with http.get("/api/roadmap", headers=auth) as r:
        await error(r, 404, "NOT_FOUND")  # nothing was kept


async def test_broken_json_and_no_token(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    async with http.post("/api/roadmap", data=b"{topics", headers={**auth, "Content-Type": "application/json"}) as r:
        assert "not valid JSON" in await error(r, 400, "INVALID_INPUT")
    async with http.post("/api/roadmap", data=b"topics", headers={**auth, "Content-Type": "text/plain"}) as r:
        assert "Content-Type must be application/json" in await error(r, 400, "INVALID_INPUT")
    for method, path in [("POST", "/api/roadmap"), ("GET", "/api/roadmap"), ("GET", "/api/lessons/intro_to_python"),
                         ("POST", "/api/lessons/intro_to_python/complete")]:
        async with http.request(method, path, json={"topics": ["Python Basics"]}) as r:
            await error(r, 401, "UNAUTHORIZED")
    assert await xp_total(http, auth) == 0


async def test_lesson_has_markdown_and_quiz(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    async with http.get("/api/lessons/intro_to_python", headers=auth) as r:
        lesson = await r.json()
        assert r.status == 200, lesson
    assert set(lesson) == {"id", "title", "type", "content", "quiz_questions", "xp"}
    assert (lesson["id"], lesson["title"], lesson["type"], lesson["xp"]) == (
        "intro_to_python", "Introduction to Python", "reading", 50)
    assert lesson["content"].startswith("# Introduction to Python\n") and "```python" in lesson["content"]
    first = lesson["quiz_questions"][0]
    assert first["id"] == "q1" and first["question"] == "What is Python?"
    assert first["options"][first["correct_answer"]] == "A high-level interpreted language"
    assert all(set(q) == {"id", "question", "options", "correct_answer"} for q in lesson["quiz_questions"])

    for path in ["/api/lessons/no_such_lesson", "/api/lessons/INTRO_TO_PYTHON"]:
        async with http.get(path, headers=auth) as r:
            assert await error(r, 404, "NOT_FOUND") == "Lesson not found"
    async with http.post("/api/lessons/no_such_lesson/complete", headers=auth) as r:
        assert await error(r, 404, "NOT_FOUND") == "Lesson not found"


async def test_completing_awards_xp_once(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    assert await complete(http, auth, "intro_to_python") == {"xp_earned": 50, "new_total_xp": 50, "level_up": False}
    assert await complete(http, auth, "intro_to_python") == {"xp_earned": 0, "new_total_xp": 50, "level_up": False}
    async with http.post("/api/lessons/two_pointers/complete", json={}, headers=auth) as r:
        assert await r.json() == {"xp_earned": 100, "new_total_xp": 150, "level_up": False}
    async with http.post("/api/lessons/hash_maps/complete", json={"score": 3}, headers=auth) as r:
        assert "score:" in await error(r, 400, "INVALID_INPUT")
    async with http.post("/api/lessons/hash_maps/complete", data=b"[1",
                         headers={**auth, "Content-Type": "application/json"}) as r:
        await error(r, 400, "INVALID_INPUT")
    assert await xp_total(http, auth) == 150  # the refused completions earned nothing
    assert (await complete(http, auth, "hash_maps"))["xp_earned"] == 75

    _, other = await sign_up(http, "someone_else")
    assert (await complete(http, other, "intro_to_python"))["xp_earned"] == 50  # once per user, not once ever


async def test_concurrent_completions_count_once(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    replies = await asyncio.gather(*(complete(http, auth, "hash_maps") for _ in range(8)))
    assert sorted(r["xp_earned"] for r in replies) == [0] * 7 + [75]
    assert all(r["new_total_xp"] == 75 for r in replies)
    # different lessons at once: every XP lands (no lost update)
    replies = await asyncio.gather(*(complete(http, auth, lesson) for lesson in LESSONS_OF_50[:6]))
    assert sorted(r["new_total_xp"] for r in replies) == [125, 175, 225, 275, 325, 375]
    assert await xp_total(http, auth) == 375


async def test_level_up_exactly_when_crossing_a_level(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    seen: List[Dict[str, Any]] = [await complete(http, auth, lesson) for lesson in LESSONS_OF_50[:9]]
    assert [r["new_total_xp"] for r in seen] == list(range(50, 500, 50))
    assert not any(r["level_up"] for r in seen)  # 450 XP: still level 1
    assert await complete(http, auth, LESSONS_OF_50[9]) == {"xp_earned": 50, "new_total_xp": 500, "level_up": True}
    assert await complete(http, auth, LESSONS_OF_50[9]) == {"xp_earned": 0, "new_total_xp": 500, "level_up": False}
    assert await complete(http, auth, LESSONS_OF_50[10]) == {"xp_earned": 50, "new_total_xp": 550, "level_up": False}
    async with http.get("/api/profile", headers=auth) as r:
        assert (await r.json())["level"] == 2


async def test_concurrent_crossing_levels_up_once(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    for lesson in LESSONS_OF_50[:9]:
        await complete(http, auth, lesson)
    replies = await asyncio.gather(*(complete(http, auth, lesson) for lesson in LESSONS_OF_50[9:13]))
    assert [r["level_up"] for r in replies].count(True) == 1  # exactly the one that passed 500
    crossing = next(r for r in replies if r["level_up"])
    assert crossing["new_total_xp"] == 500
