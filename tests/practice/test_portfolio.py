"""The portfolio over real HTTP on both backends: projects, the seed's reply, ownership, every error."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import aiohttp
import pytest

from bridge.practice.portfolio.models import PROJECTS_MAX

from .fixtures import sign_up

pytestmark = pytest.mark.slow
ERROR_KEYS = {"error", "code", "status"}
PROJECT_KEYS = {"id", "project_name", "description", "skills", "metrics", "created_at"}
SEED_PROJECT = {"project_name": "Sentiment Analyzer", "description": "ML project analyzing text sentiment",
                "skills": ["Python", "NLP", "Scikit-learn"], "metrics": {"accuracy": 0.87, "f1_score": 0.85}}


async def error(response: aiohttp.ClientResponse, status: int, code: str) -> Dict[str, Any]:
    body = await response.json()
    assert response.status == status, body
    assert set(body) == ERROR_KEYS and body["code"] == code and body["status"] == status, body
    return dict(body)


async def add(http: aiohttp.ClientSession, auth: Dict[str, str], body: Dict[str, Any]) -> Dict[str, Any]:
    async with http.post("/api/portfolio/projects", json=body, headers=auth) as r:
        reply = await r.json()
        assert r.status == 201, reply
    return dict(reply)


async def portfolio(http: aiohttp.ClientSession, auth: Dict[str, str]) -> Dict[str, Any]:
    async with http.get("/api/portfolio", headers=auth) as r:
        reply = await r.json()
        assert r.status == 200, reply
    return dict(reply)


async def test_add_list_and_delete_projects(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http, "john_dev")
    empty = await portfolio(http, auth)
    assert empty == {"user": {"username": "john_dev", "xp_total": 0, "level": 1}, "projects": [],
                     "solved_problems": {"easy": 0, "medium": 0, "hard": 0, "total": 0}, "skills": []}

    first = await add(http, auth, SEED_PROJECT)
    assert set(first) == PROJECT_KEYS and first["created_at"].endswith("Z")
    assert {k: first[k] for k in SEED_PROJECT} == SEED_PROJECT
    second = await add(http, auth, {"project_name": "  Tiny CLI  ", "skills": ["python", "Rust", "rust"],
                                    "metrics": {"stars": 12, "license": "MIT"}})
    # trimmed, skills deduplicated whatever their case, description and metrics default to empty
    assert (second["project_name"], second["description"], second["skills"]) == ("Tiny CLI", "", ["python", "Rust"])
    assert second["metrics"] == {"stars": 12, "license": "MIT"}

    shown = await portfolio(http, auth)
    assert [p["id"] for p in shown["projects"]] == [second["id"], first["id"]]  # newest first
    assert shown["projects"][1] == first
    assert shown["skills"] == ["python", "NLP", "Rust", "Scikit-learn"]  # most used first, then by name

    async with http.delete(f"/api/portfolio/projects/{second['id']}", headers=auth) as r:
        assert r.status == 200 and await r.json() == {"message": "Project deleted"}
    assert [p["id"] for p in (await portfolio(http, auth))["projects"]] == [first["id"]]
    async with http.delete(f"/api/portfolio/projects/{second['id']}", headers=auth) as r:
        assert (await error(r, 404, "NOT_FOUND"))["error"] == "Project not found"
    async with http.delete("/api/portfolio/projects/not-a-uuid", headers=auth) as r:
        assert (await error(r, 404, "NOT_FOUND"))["error"] == "Project not found"


async def test_only_the_owner_deletes_and_sees_a_project(http: aiohttp.ClientSession) -> None:
    _, owner = await sign_up(http, "owner")
    _, other = await sign_up(http, "someone_else")
    project = await add(http, owner, SEED_PROJECT)
    assert (await portfolio(http, other))["projects"] == []
    async with http.delete(f"/api/portfolio/projects/{project['id']}", headers=other) as r:
        assert "another user" in (await error(r, 403, "FORBIDDEN"))["error"]
    assert [p["id"] for p in (await portfolio(http, owner))["projects"]] == [project["id"]]


async def test_every_route_needs_a_token(http: aiohttp.ClientSession) -> None:
    calls: List[Tuple[str, str, Any]] = [("GET", "/api/portfolio", None),
                                         ("POST", "/api/portfolio/projects", SEED_PROJECT),
                                         ("DELETE", "/api/portfolio/projects/00000000-0000-4000-8000-000000000000",
                                          None),
                                         ("POST", "/api/portfolio/export", {"format": "pdf"})]
    for method, path, body in calls:
        async with http.request(method, path, json=body) as r:
            assert "Authorization" in (await error(r, 401, "UNAUTHORIZED"))["error"], path
        async with http.request(method, path, json=body, headers={"Authorization": "Bearer forged"}) as r:
            assert "Invalid token" in (await error(r, 401, "UNAUTHORIZED"))["error"], path


BAD_PROJECTS: List[Tuple[Any, str]] = [
    ({}, "Missing required field: project_name"),
    ({"project_name": "   "}, "project_name must be 1 to 200 characters, got 0"),
    ({"project_name": "x" * 201}, "project_name must be 1 to 200 characters, got 201"),
    ({"project_name": "two\nlines"}, "project_name must be a single line"),
    ({"project_name": 7}, "project_name: Input should be a valid string"),
    ({"project_name": "p", "description": "d" * 2001}, "description must be at most 2000 characters, got 2001"),
    ({"project_name": "p", "skills": "Python"}, "skills: Input should be a valid list"),
    ({"project_name": "p", "skills": [1]}, "skills.0: Input should be a valid string"),
    ({"project_name": "p", "skills": [""]}, "each skill must be 1 to 64 characters, got 0"),
    ({"project_name": "p", "skills": [f"s{i}" for i in range(31)]}, "at most 30 skills, got 31"),
    ({"project_name": "p", "metrics": [1, 2]}, "metrics: Input should be a valid dictionary"),
    ({"project_name": "p", "metrics": {"ok": True}}, "metric 'ok' must be a number or a string, got bool"),
    ({"project_name": "p", "metrics": {"nested": {"a": 1}}}, "metric 'nested' must be a number or a string, got dict"),
    ({"project_name": "p", "metrics": {"none": None}}, "metric 'none' must be a number or a string, got NoneType"),
    ({"project_name": "p", "metrics": {"big": 2**60}}, "metric 'big' must be within"),
    ({"project_name": "p", "metrics": {"note": "n" * 201}}, "metric 'note' must be 1 to 200 characters, got 201"),
    ({"project_name": "p", "metrics": {"": 1}}, "each metric name must be 1 to 64 characters, got 0"),
    ({"project_name": "p", "metrics": {f"m{i}": i for i in range(31)}}, "at most 30 entries, got 31"),
    ({"project_name": "p", "stars": 5}, "stars: Extra inputs are not permitted"),
    ([SEED_PROJECT], "Body must be a JSON object"),
]


async def test_bad_bodies_are_400_saying_what_to_fix(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    for body, message in BAD_PROJECTS:
        async with http.post("/api/portfolio/projects", json=body, headers=auth) as r:
            assert message in (await error(r, 400, "INVALID_INPUT"))["error"], body
    async with http.post("/api/portfolio/projects", data=b'{"project_name": ', headers={
            **auth, "Content-Type": "application/json"}) as r:
        assert "not valid JSON" in (await error(r, 400, "INVALID_INPUT"))["error"]
    async with http.post("/api/portfolio/projects", data=b"project_name=x", headers={
            **auth, "Content-Type": "application/x-www-form-urlencoded"}) as r:
        assert "Content-Type must be application/json" in (await error(r, 400, "INVALID_INPUT"))["error"]
    for body, message in [({"format": "docx"}, "format must be one of pdf, got 'docx'"),
                          ({"format": "PDF"}, "format must be one of pdf, got 'PDF'"),
                          ({"format": 1}, "format: Input should be a valid string"),
                          ({}, "Missing required field: format")]:
        async with http.post("/api/portfolio/export", json=body, headers=auth) as r:
            assert message in (await error(r, 400, "INVALID_INPUT"))["error"], body
    assert (await portfolio(http, auth))["projects"] == []  # nothing refused was stored


async def test_a_portfolio_holds_a_bounded_number_of_projects(http: aiohttp.ClientSession) -> None:
    _, auth = await sign_up(http)
    for i in range(PROJECTS_MAX):
        await add(http, auth, {"project_name": f"project {i}"})
    async with http.post("/api/portfolio/projects", json={"project_name": "one more"}, headers=auth) as r:
        assert f"at most {PROJECTS_MAX} projects" in (await error(r, 409, "CONFLICT"))["error"]
    assert len((await portfolio(http, auth))["projects"]) == PROJECTS_MAX
