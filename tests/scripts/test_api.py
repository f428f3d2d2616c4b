"""/api/v1/scripts through the real server: listing, schemas, validation, sync and async runs."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Dict

import aiohttp
import pytest

from bridge.host import BridgeHost
from mock_unreal.testing import MockProject

from ..conftest import BridgeFactory
from ..core.helpers import wait_for_status

GREET = '''
from __future__ import annotations

from typing import List, Optional

import unreal


def greet(name: str, times: int = 1, tags: Optional[List[str]] = None) -> dict:
    """Say hello to someone, a few times.

    Args:
        name: who to greet
        times: how many greetings
    """
    for _ in range(times):
        print(f"hello {name}")
    unreal.log_warning("greeted")
    return {"name": name, "times": times, "tags": tags or [], "where": unreal.Vector(1, 2, 3)}
'''


def write(directory: Path, name: str, source: str) -> Path:
    path = directory / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


@pytest.fixture
def scripts_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "project_scripts"
    directory.mkdir()
    write(directory, "greet", GREET)
    write(directory, "broken", "def broken(:\n    pass\n")
    write(directory, "fails", "def fails(message: str) -> None:\n    raise ValueError(message)\n")
    write(directory, "_helper", "X = 1\n")
    return directory


@pytest.fixture
def scripts_bridge(start_bridge: BridgeFactory, scripts_dir: Path) -> BridgeHost:
    return start_bridge(scripts={"dirs": [str(scripts_dir)]})


@pytest.fixture
async def api(scripts_bridge: BridgeHost) -> Any:
    async with aiohttp.ClientSession(base_url=scripts_bridge.url) as session:
        yield session


async def run(api: aiohttp.ClientSession, name: str, **body: Any) -> Dict[str, Any]:
    async with api.post(f"/api/v1/scripts/{name}/run", json=body) as response:
        reply: Dict[str, Any] = await response.json()
        reply["_status"] = response.status
        return reply


async def test_list_shows_schema_description_source_and_load_errors(api: aiohttp.ClientSession,
                                                                    scripts_dir: Path) -> None:
    async with api.get("/api/v1/scripts") as response:
        assert response.status == 200
        body = await response.json()
    scripts = {script["name"]: script for script in body["scripts"]}
    greet = scripts["greet"]
    assert greet["description"] == "Say hello to someone, a few times."
    assert greet["source"] == str(scripts_dir / "greet.py")
    assert greet["error"] is None
    schema = greet["parameters"]
    assert schema["required"] == ["name"]
    assert schema["properties"]["name"]["type"] == "string"
    assert schema["properties"]["name"]["description"] == "who to greet"
    assert schema["properties"]["times"] == {
        "default": 1, "description": "how many greetings", "title": "times", "type": "integer",
    }
    assert "SyntaxError" in scripts["broken"]["error"] and "line 1" in scripts["broken"]["error"]
    assert "_helper" not in scripts
    assert str(scripts_dir) in body["directories"]


async def test_sync_run_returns_output_logs_and_json_result(api: aiohttp.ClientSession) -> None:
    reply = await run(api, "greet", params={"name": "Ada", "times": 2})
    assert reply["_status"] == 200, reply
    assert reply["success"] is True
    assert reply["output"] == "hello Ada\nhello Ada\nWarning: greeted\n"
    assert reply["result"] == {"name": "Ada", "times": 2, "tags": [], "where": {"x": 1.0, "y": 2.0, "z": 3.0}}
    assert ("warning", "greeted") in [(e["level"], e["message"]) for e in reply["logs"]]


async def test_async_run_is_a_job_with_kind_and_name(api: aiohttp.ClientSession) -> None:
    reply = await run(api, "greet", params={"name": "Grace"}, **{"async": True})
    assert reply["_status"] == 202
    detail = await wait_for_status(api, reply["job_id"], "completed")
    assert detail["kind"] == "script" and detail["name"] == "greet"
    assert detail["result"]["name"] == "Grace"
    async with api.get("/api/v1/python/jobs") as response:
        jobs = (await response.json())["jobs"]
    assert any(job["id"] == reply["job_id"] and job["kind"] == "script" for job in jobs)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({}, "params.name: required parameter is missing"),
        ({"name": "x", "times": "many"}, "params.times: Input should be a valid integer"),
        ({"name": "x", "colour": "red"}, "params.colour: unknown parameter; greet takes name, times, tags"),
        ({"name": "x", "tags": "a"}, "params.tags: Input should be a valid list"),
    ],
)
async def test_bad_params_are_400_naming_the_field(api: aiohttp.ClientSession, params: Dict[str, Any],
                                                   fragment: str) -> None:
    reply = await run(api, "greet", params=params)
    assert reply["_status"] == 400
    assert reply["error_code"] == "INVALID_REQUEST"
    assert fragment in reply["error"]


async def test_unknown_and_unloadable_scripts(api: aiohttp.ClientSession) -> None:
    missing = await run(api, "nope", params={})
    assert missing["_status"] == 404 and missing["error_code"] == "SCRIPT_NOT_FOUND"
    broken = await run(api, "broken", params={})
    assert broken["_status"] == 409 and broken["error_code"] == "SCRIPT_NOT_LOADED"
    assert "SyntaxError" in broken["error"]


async def test_failing_script_reports_traceback(api: aiohttp.ClientSession) -> None:
    reply = await run(api, "fails", params={"message": "no such asset"})
    assert reply["_status"] == 200
    assert reply["success"] is False and reply["status"] == "failed"
    assert reply["error"] == "ValueError: no such asset"
    assert "fails.py" in reply["traceback"] and "raise ValueError(message)" in reply["traceback"]


async def test_bad_timeout_and_body(api: aiohttp.ClientSession) -> None:
    reply = await run(api, "greet", params={"name": "x"}, timeout=-1)
    assert reply["_status"] == 400 and "timeout" in reply["error"]
    reply = await run(api, "greet", params=["x"])
    assert reply["_status"] == 400 and "params" in reply["error"]


async def test_openapi_documents_script_routes(api: aiohttp.ClientSession) -> None:
    async with api.get("/api/openapi.json") as response:
        spec = await response.json()
    assert "/api/v1/scripts/{name}/run" in spec["paths"]
    assert "ScriptRunRequest" in spec["components"]["schemas"]


async def test_builtin_scripts_run_over_rest_with_effects(unreal_project: MockProject,
                                                          start_bridge: BridgeFactory) -> None:
    unreal_project.seed({"assets": {"/Game/Props/Rock": "StaticMesh", "/Game/Props/Bark": "Texture2D"}})
    host = start_bridge()
    async with aiohttp.ClientSession(base_url=host.url) as http:
        async with http.get("/api/v1/scripts") as response:
            names = {script["name"]: script for script in (await response.json())["scripts"]}
        assert {"list_assets", "batch_rename", "spawn_actor_grid", "take_screenshot"} <= set(names)
        assert all(script["error"] is None for script in names.values()), names
        params = {"directory": "/Game/Props", "class_names": ["Texture2D"]}
        listed = await run(http, "list_assets", params=params)
        assert listed["result"] == [{"name": "Bark", "path": "/Game/Props/Bark.Bark", "folder": "/Game/Props",
                                     "class": "Texture2D"}]
        renamed = await run(http, "batch_rename", params={"directory": "/Game/Props"})
        assert renamed["success"] is True, renamed
        assert sorted(r["to"] for r in renamed["result"]) == ["/Game/Props/SM_Rock", "/Game/Props/T_Bark"]
        assert "renamed /Game/Props/Rock -> /Game/Props/SM_Rock" in renamed["output"]
        assert set(unreal_project.assets("/Game/Props")) == {"/Game/Props/SM_Rock", "/Game/Props/T_Bark"}
        missing = await run(http, "list_assets", params={"directory": "/Game/Nope"})
        assert missing["status"] == "failed" and "does not exist" in missing["error"]


async def test_relative_script_folders_are_in_the_project(unreal_project: MockProject,
                                                          start_bridge: BridgeFactory) -> None:
    folder = Path(unreal_project.unreal.Paths.project_dir()) / "Scripts" / "Bridge"
    folder.mkdir(parents=True)
    write(folder, "project_hello", "def project_hello() -> str:\n    '''Hi.'''\n    return 'hi'\n")
    host = start_bridge(scripts={"dirs": ["Scripts/Bridge"]})
    async with aiohttp.ClientSession(base_url=host.url) as http:
        async with http.get("/api/v1/scripts/project_hello") as response:
            script = (await response.json())["script"]
        assert Path(script["source"]) == (folder / "project_hello.py").resolve()
        assert (await run(http, "project_hello"))["result"] == "hi"


async def test_script_stuck_in_native_code_gets_202_like_execute(start_bridge: BridgeFactory,
                                                                 tmp_path: Path) -> None:
    write(tmp_path, "sleepy", "import time\n\ndef sleepy(seconds: float) -> str:\n"
                              "    time.sleep(seconds)\n    return 'woke'\n")
    host = start_bridge(scripts={"dirs": [str(tmp_path)]}, interrupt_grace_seconds=0.2)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        reply = await run(http, "sleepy", params={"seconds": 1.5}, timeout=0.2)
        assert reply["_status"] == 202 and reply["timed_out"] is True
        assert f"/api/v1/python/job?id={reply['job_id']}" in reply["message"]
        detail = await wait_for_status(http, reply["job_id"], "completed", "failed")
        assert detail["timed_out"] is True and detail["error_type"] == "TimeoutError"
