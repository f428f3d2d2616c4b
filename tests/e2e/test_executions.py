"""/api/executions over real HTTP: the seed 003 fields of every kind of run, filters, commands, deletion."""
from __future__ import annotations

import aiohttp
import pytest

from bridge.host import BridgeHost
from bridge.runs import RunKind, RunStatus

from .conftest import (
    ARTIFACT_KEYS,
    EXECUTION_KEYS,
    STEP_KEYS,
    error_code,
    get,
    python_command,
    reply,
    start_command,
    wait_finished,
)


async def test_a_command_runs_and_its_execution_has_every_seed_field(http: aiohttp.ClientSession) -> None:
    body = {"name": "greet", "command": python_command("print('hello'); print('world')"),
            "environment": {"GREETING": "hi"}, "tags": ["ci", "smoke"], "metadata": {"build": 7}}
    async with http.post("/api/executions", json=body) as response:
        created = (await reply(response, 201))["data"]
    assert set(created) == {"execution_id", "status", "created_at"}
    assert created["status"] in ("pending", "running") and created["created_at"].endswith("Z")
    execution = await wait_finished(http, created["execution_id"])
    assert set(execution) == EXECUTION_KEYS
    assert execution["kind"] == "command" and execution["status"] == "completed" and execution["exit_code"] == 0
    assert (execution["name"], execution["tags"], execution["metadata"]) == ("greet", ["ci", "smoke"], {"build": 7})
    assert execution["environment"] == {"GREETING": "hi"} and execution["progress_percentage"] == 100.0
    assert execution["command"] == body["command"] and execution["duration_seconds"] >= 0
    detail = (await get(http, f"/api/executions/{created['execution_id']}"))["data"]
    assert set(detail) == {"execution", "steps", "artifacts"} and detail["execution"] == execution
    output = (await get(http, f"/api/executions/{created['execution_id']}/output"))["data"]
    assert output["output"] == "hello\nworld\n" and output["status"] == "completed"
    assert [entry["content"] for entry in output["logs"] if entry["stream"] == "stdout"] in ([], ["hello", "world"])


async def test_steps_and_artifacts_have_every_seed_field(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    history = bridge.history
    run = history.create(RunKind.COMMAND, name="built", command="make", started=True)
    step = history.begin_step(run.id, "compile", description="cc", estimated_duration=2.0)
    files = bridge.artifact_files
    files.store(history, run.id, b"<html></html>", name="Report", file_name="report.html", step_id=step.id,
                tags=("report",))
    history.end_step(run.id, step.id)
    history.finish(run.id, RunStatus.COMPLETED, exit_code=0)
    detail = (await get(http, f"/api/executions/{run.id}"))["data"]
    (shown_step,) = detail["steps"]
    assert set(shown_step) == STEP_KEYS
    assert (shown_step["name"], shown_step["status"], shown_step["index"]) == ("compile", "completed", 0)
    assert shown_step["execution_id"] == run.id and shown_step["estimated_duration"] == 2.0
    (artifact,) = detail["artifacts"]
    assert set(artifact) == ARTIFACT_KEYS
    assert (artifact["file_name"], artifact["mime_type"], artifact["artifact_type"]) == (
        "report.html", "text/html", "document")
    assert artifact["download_url"] == f"/api/artifacts/{artifact['id']}/download"
    assert artifact["step_id"] == step.id and artifact["file_size"] == 13
    # relative to the data dir: never the host's absolute layout
    assert artifact["file_path"].startswith("artifacts/") and str(bridge.settings.history.data_dir) not in (
        artifact["file_path"])
    assert (bridge.artifact_files.root.parent / artifact["file_path"]).read_bytes() == b"<html></html>"
    execution = detail["execution"]
    assert (execution["total_steps"], execution["completed_steps"], execution["current_step_index"]) == (1, 1, 0)


async def test_editor_runs_are_executions_of_kind_editor(http: aiohttp.ClientSession) -> None:
    code = "print('from the editor')"
    async with http.post("/api/v1/python/execute", json={"code": code, "tags": ["mine"]}) as response:
        job_id = (await response.json())["job_id"]
    page = (await get(http, "/api/executions", params={"kind": "editor"}))["data"]
    (execution,) = page["executions"]
    assert set(execution) == EXECUTION_KEYS
    assert (execution["id"], execution["kind"], execution["command"]) == (job_id, "editor", code)
    assert execution["status"] == "completed" and execution["tags"] == ["mine"]
    assert (await get(http, "/api/executions", params={"kind": "command"}))["data"]["total_count"] == 0


async def test_list_pages_and_filters(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    history = bridge.history
    ids = []
    for number in range(5):
        run = history.create(RunKind.SANDBOX, name=f"r{number}", user="ana" if number % 2 else "bo",
                             tags=("even",) if number % 2 == 0 else ())
        history.finish(run.id, RunStatus.COMPLETED if number < 4 else RunStatus.FAILED, error_message="x")
        ids.append(run.id)
    page = (await get(http, "/api/executions", params={"limit": "2", "offset": "1"}))["data"]
    assert set(page) == {"executions", "total_count", "has_more"}
    assert [e["id"] for e in page["executions"]] == [ids[3], ids[2]]  # newest first
    assert (page["total_count"], page["has_more"]) == (5, True)
    last = (await get(http, "/api/executions", params={"limit": "2", "offset": "4"}))["data"]
    assert [e["id"] for e in last["executions"]] == [ids[0]] and last["has_more"] is False
    assert [e["id"] for e in (await get(http, "/api/executions", params={"status": "failed"}))["data"][
        "executions"]] == [ids[4]]
    assert (await get(http, "/api/executions", params={"user": "ana"}))["data"]["total_count"] == 2
    assert (await get(http, "/api/executions", params={"tag": "even"}))["data"]["total_count"] == 3
    assert (await get(http, "/api/executions", params={"kind": "sandbox"}))["data"]["total_count"] == 5


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "1001"}, {"limit": "ten"}, {"offset": "-1"},
                                    {"status": "done"}, {"kind": "vm"}, {"colour": "red"}])
async def test_bad_query_parameters_are_400(http: aiohttp.ClientSession, params: dict) -> None:
    assert await error_code(http.get("/api/executions", params=params), 400) == "INVALID_REQUEST"


async def test_unknown_ids_and_routes_are_404_in_the_envelope(http: aiohttp.ClientSession) -> None:
    for path in ("/api/executions/nope", "/api/executions/nope/output"):
        assert await error_code(http.get(path), 404) == "EXECUTION_NOT_FOUND"
    assert await error_code(http.delete("/api/executions/nope"), 404) == "EXECUTION_NOT_FOUND"
    assert await error_code(http.get("/api/executions/a/b/c"), 404) == "NOT_FOUND"
    assert await error_code(http.put("/api/executions"), 405) == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(("body", "code"), [
    ({"name": "x"}, "MISSING_FIELD"),
    ({"command": "python 'unclosed"}, "INVALID_COMMAND"),
    ({"command": "true", "working_directory": "/"}, "INVALID_COMMAND"),
    ({"command": "true", "working_directory": "no/such/dir"}, "INVALID_COMMAND"),
    ({"command": "true", "timeout": -1}, "INVALID_REQUEST"),
    ({"command": "true", "environment": {"A": 1}}, "INVALID_REQUEST"),
    ({"command": "true", "surprise": True}, "INVALID_REQUEST"),
])
async def test_bad_commands_are_400(http: aiohttp.ClientSession, body: dict, code: str) -> None:
    assert await error_code(http.post("/api/executions", json=body), 400) == code
    assert (await get(http, "/api/executions"))["data"]["total_count"] == 0


async def test_a_post_that_is_not_json_is_415_in_the_envelope(http: aiohttp.ClientSession) -> None:
    refused = http.post("/api/executions", data=b"command=true", headers={"Content-Type": "text/plain"})
    assert await error_code(refused, 415) == "UNSUPPORTED_MEDIA_TYPE"


async def test_a_program_that_does_not_exist_is_a_failed_execution(http: aiohttp.ClientSession) -> None:
    async with http.post("/api/executions", json={"command": "/no/such/program --flag"}) as response:
        run_id = (await reply(response, 201))["data"]["execution_id"]
    execution = await wait_finished(http, run_id)
    assert execution["status"] == "failed" and execution["error_message"]


async def test_delete_a_finished_execution(http: aiohttp.ClientSession) -> None:
    run_id = await start_command(http, "print(1)")
    await wait_finished(http, run_id)
    async with http.delete(f"/api/executions/{run_id}") as response:
        assert (await reply(response, 200))["data"] == {"message": "Execution deleted successfully"}
    assert await error_code(http.get(f"/api/executions/{run_id}"), 404) == "EXECUTION_NOT_FOUND"


async def test_delete_cancels_a_running_command_first(http: aiohttp.ClientSession, bridge: BridgeHost) -> None:
    run_id = await start_command(http, "import time; print('up', flush=True); time.sleep(60)")
    while "up" not in (await get(http, f"/api/executions/{run_id}/output"))["data"]["output"]:
        pass
    async with http.delete(f"/api/executions/{run_id}") as response:
        assert (await reply(response, 200))["data"] == {"message": "Execution deleted successfully"}
    assert bridge.history.get(run_id) is None


async def test_delete_of_a_run_nothing_here_can_cancel_is_409(http: aiohttp.ClientSession,
                                                               bridge: BridgeHost) -> None:
    run = bridge.history.create(RunKind.TRACE, command="print(1)", started=True)
    async with http.delete(f"/api/executions/{run.id}") as response:
        body = await reply(response, 409)
    assert body["error_code"] == "CANNOT_CANCEL" and "cannot be cancelled" in body["error"]
    assert (await get(http, f"/api/executions/{run.id}"))["data"]["execution"]["status"] == "running"
    bridge.history.finish(run.id, RunStatus.COMPLETED)
