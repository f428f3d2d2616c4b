"""/api/v1/mock/*: reset, snapshot and restore over real HTTP on a headless host; 404 in the editor."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any, AsyncIterator, Dict

import aiohttp
import pytest

import mock_unreal
from bridge.config import Settings
from bridge.host import BridgeHost
from mock_unreal import snapshots
from mock_unreal.editor import EditorLoop
from mock_unreal.testing import MockProject

unreal = mock_unreal.install()
SEED = {
    "assets": {"/Game/Props/SM_Crate": "StaticMesh", "/Game/Maps/Main": "World"},
    "level": "/Game/Maps/Main",
    "actors": [{"label": "Crate_01", "static_mesh": "/Game/Props/SM_Crate", "selected": True}],
    "selected_assets": ["/Game/Props/SM_Crate"],
}
SPAWN = "unreal.EditorLevelLibrary.spawn_actor_from_class(unreal.PointLight, unreal.Vector(0, 0, 0))"


async def post(http: aiohttp.ClientSession, path: str, status: int = 200, **kwargs: Any) -> Dict[str, Any]:
    async with http.post(path, **kwargs) as response:
        body = await response.json()
        assert response.status == status, body
        return dict(body)


async def execute(http: aiohttp.ClientSession, code: str) -> Dict[str, Any]:
    body = await post(http, "/api/v1/python/execute", json={"code": "import unreal\n" + code})
    assert body["success"], body
    return body


@pytest.fixture
def seeded(unreal_project: MockProject) -> MockProject:
    snapshots.start_from_seed(SEED)
    return unreal_project


async def test_reset_returns_to_the_seed(seeded: MockProject, http: aiohttp.ClientSession) -> None:
    await execute(http, SPAWN)
    assert len(seeded.actors()) == 2
    body = await post(http, "/api/v1/mock/reset")
    assert body["success"] is True and body["seed"] == "inline"
    assert (body["assets"], body["actors"], body["level"]) == (2, 1, "/Game/Maps/Main")
    assert body["selected_assets"] == ["/Game/Props/SM_Crate"] and body["selected_actors"] == ["Crate_01"]
    assert [a.get_actor_label() for a in seeded.actors()] == ["Crate_01"]
    async with http.get(f"/api/v1/python/job?id={body['job_id']}") as response:
        run = await response.json()
    assert run["job"]["status"] == "completed"  # the reset is an editor run in the history


async def test_snapshot_and_restore(seeded: MockProject, http: aiohttp.ClientSession) -> None:
    await execute(http, SPAWN)
    kept = await post(http, "/api/v1/mock/snapshot", json={"name": "with-light"})
    assert kept["actors"] == 2 and kept["snapshots"] == ["with-light"]
    await post(http, "/api/v1/mock/reset")
    restored = await post(http, "/api/v1/mock/restore", json={"name": "with-light"})
    assert restored["actors"] == 2
    labels = await execute(http, "print(sorted(a.get_actor_label() for a in "
                                 "unreal.EditorLevelLibrary.get_all_level_actors()))")
    assert labels["output"].strip() == "['Crate_01', 'PointLight']"


async def test_restoring_an_unknown_snapshot_is_a_404(seeded: MockProject, http: aiohttp.ClientSession) -> None:
    await post(http, "/api/v1/mock/snapshot", json={"name": "one"})
    body = await post(http, "/api/v1/mock/restore", 404, json={"name": "two"})
    assert body["error_code"] == "SNAPSHOT_NOT_FOUND"
    assert "no snapshot named 'two'; snapshots: one" in body["error"]


@pytest.mark.parametrize(
    "payload",
    [{}, {"name": ""}, {"name": "../etc"}, {"name": "x" * 65}, {"name": "ok", "extra": 1}, {"name": 3}],
)
async def test_a_bad_snapshot_name_is_a_400(seeded: MockProject, http: aiohttp.ClientSession,
                                            payload: Dict[str, Any]) -> None:
    body = await post(http, "/api/v1/mock/snapshot", 400, json=payload)
    assert body["error_code"] in ("INVALID_REQUEST", "MISSING_FIELD")


async def test_snapshot_needs_a_json_body(seeded: MockProject, http: aiohttp.ClientSession) -> None:
    body = await post(http, "/api/v1/mock/snapshot", 415, data="name=x",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert body["error_code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_a_page_on_another_site_cannot_reset(seeded: MockProject, http: aiohttp.ClientSession) -> None:
    await execute(http, SPAWN)
    await post(http, "/api/v1/mock/reset", 403, headers={"Origin": "https://evil.example"})
    await post(http, "/api/v1/mock/reset", 403, headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"})
    assert len(seeded.actors()) == 2, "a refused request reset the project"


def _editor_like_module() -> types.ModuleType:
    """The `unreal` an editor has: the same API, without the mock's `__mock__` marker."""
    module = types.ModuleType("unreal")

    def forward(name: str) -> Any:
        if name == "__mock__":
            raise AttributeError(name)
        return getattr(unreal, name)

    module.__getattr__ = forward  # type: ignore[method-assign]
    return module


@pytest.fixture
async def editor_http(editor_loop: EditorLoop, tmp_path: Path) -> AsyncIterator[aiohttp.ClientSession]:
    settings = Settings.model_validate({"port": 0, "history": {"data_dir": tmp_path / "data"}})
    host = BridgeHost(settings, _editor_like_module())
    host.start(token_dir=tmp_path)
    try:
        async with aiohttp.ClientSession(base_url=host.url) as session:
            yield session
    finally:
        host.stop()


@pytest.mark.parametrize("path", ["/api/v1/mock/reset", "/api/v1/mock/snapshot", "/api/v1/mock/restore"])
async def test_in_the_editor_every_mock_route_is_a_404_that_says_why(
    unreal_project: MockProject, editor_http: aiohttp.ClientSession, path: str
) -> None:
    body = await post(editor_http, path, 404, json={"name": "x"})
    assert body["error_code"] == "NOT_HEADLESS"
    assert "exists only on a headless host" in body["error"] and "ue-bridge serve --seed" in body["error"]


async def test_the_routes_are_in_the_openapi_document(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/openapi.json") as response:
        paths = (await response.json())["paths"]
    for route in ("reset", "snapshot", "restore"):
        assert "post" in paths[f"/api/v1/mock/{route}"]
