"""Each tool over stdio, with the SDK's client, against a real headless host: results, errors as isError."""
from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path
from typing import Any, Dict

import mcp_types as types
import pytest

from bridge.api.models import ExecuteRequest
from bridge.host import BridgeHost
from bridge.mcp.inputs import ExecutePython, TracePython, schema
from bridge.runs import RunKind
from tests.conftest import BridgeFactory
from tests.needs import missing

from .conftest import mcp_stdio, read_text, structured, text_of

pytestmark = pytest.mark.slow
BUILTIN = {"execute_python", "get_run", "list_runs", "cancel_run", "trace_python", "run_sandboxed", "list_editors",
           "select_editor"}


def get_json(bridge: BridgeHost, path: str) -> Dict[str, Any]:
    with urllib.request.urlopen(bridge.url + path) as response:
        return dict(json.load(response))


async def test_tools_are_listed_with_the_rest_apis_schemas(bridge: BridgeHost, mcp_log: Path) -> None:
    async with mcp_stdio(mcp_log, "--url", bridge.url) as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert set(tools) >= BUILTIN
    execute = tools["execute_python"].input_schema
    assert execute == schema(ExecutePython)
    assert set(execute["properties"]) == {"code", "timeout", "mode", "session_id", "wait"}
    assert execute["properties"]["code"]["description"] == ExecuteRequest.model_fields["code"].description
    assert execute["properties"]["mode"]["enum"] == ["exec", "eval"] and execute["required"] == ["code"]
    assert tools["trace_python"].input_schema == schema(TracePython)
    # Every named script is a tool, its schema and description straight from the registry.
    scripts = get_json(bridge, "/api/v1/scripts")["scripts"]
    assert scripts
    for script in scripts:
        tool = tools[script["name"]]
        assert tool.input_schema == script["parameters"]
        assert script["description"] in (tool.description or "")
    assert [tools[name].annotations for name in ("get_run", "execute_python")] == [
        types.ToolAnnotations(read_only_hint=True, open_world_hint=False),
        types.ToolAnnotations(read_only_hint=False, open_world_hint=False)]


async def test_execute_python_returns_output_logs_result_and_errors(start_bridge: BridgeFactory,
                                                                     mcp_log: Path) -> None:
    bridge = start_bridge(max_timeout=60)
    async with mcp_stdio(mcp_log, "--url", bridge.url) as session:
        done = await session.call_tool("execute_python", {
            "code": "import unreal\nprint('hello from the editor')\nunreal.log_warning('careful')\n6 * 7"})
        assert done.is_error is False
        job = structured(done)
        assert job["status"] == "completed" and job["result"] == "42" and job["finished"] is True
        assert job["output"] == "hello from the editor\nWarning: careful\n"
        assert {"level": "warning", "message": "careful"}.items() <= job["logs"][1].items()
        assert "hello from the editor" in text_of(done) and "42" in text_of(done)
        assert bridge.history.get(job["job_id"]) is not None  # a real run of the bridge's history

        assert structured(await session.call_tool("execute_python", {"code": "2 ** 10", "mode": "eval"}))[
            "result"] == "1024"
        await session.call_tool("execute_python", {"code": "count = 1", "session_id": "agent"})
        again = await session.call_tool("execute_python", {"code": "count += 1\ncount", "session_id": "agent"})
        assert structured(again)["result"] == "2"

        failed = await session.call_tool("execute_python", {"code": "x = 1\nx / 0"})
        assert failed.is_error is True
        assert structured(failed)["error_type"] == "ZeroDivisionError"
        assert "line 2" in text_of(failed) and "ZeroDivisionError: division by zero" in text_of(failed)

        wrong_type = await session.call_tool("execute_python", {"code": 5})
        assert wrong_type.is_error and text_of(wrong_type) == "code: Input should be a valid string (got 5)"
        unknown = await session.call_tool("execute_python", {"code": "1", "colour": "red"})
        assert unknown.is_error and "colour: unknown argument" in text_of(unknown)
        # Within the REST model's limit, past this bridge's max_timeout: the bridge's own message comes back.
        refused = await session.call_tool("execute_python", {"code": "1", "timeout": 100})
        assert refused.is_error
        assert text_of(refused) == "timeout must be between 0 and 60 seconds, got 100"
        assert structured(refused)["error_code"] == "INVALID_REQUEST"

        missing_tool = await session.call_tool("no_such_tool", {})
        assert missing_tool.is_error and "no tool named 'no_such_tool'" in text_of(missing_tool)


async def test_history_tools_get_list_and_cancel_runs(bridge: BridgeHost, mcp_log: Path) -> None:
    async with mcp_stdio(mcp_log, "--url", bridge.url) as session:
        first = structured(await session.call_tool("execute_python", {"code": "print('one')"}))["job_id"]
        page = await session.call_tool("list_runs", {"limit": 5, "kind": "editor"})
        assert not page.is_error and [run["id"] for run in structured(page)["executions"]] == [first]
        assert first in text_of(page)

        shown = await session.call_tool("get_run", {"run_id": first})
        run = structured(shown)
        assert run["execution"]["status"] == "completed" and run["output"] == "one\n"
        assert "--- output\none" in text_of(shown)

        long = await session.call_tool("execute_python", {
            "code": "import time\nfor i in range(600):\n    time.sleep(0.05)", "wait": 0.2})
        assert long.is_error is False and structured(long)["status"] in ("pending", "running")
        job_id = structured(long)["job_id"]
        cancelled = await session.call_tool("cancel_run", {"run_id": job_id})
        assert not cancelled.is_error, text_of(cancelled)
        record = bridge.history.get(job_id)
        assert record is not None and record.run.status.value in ("cancelled", "running")  # running: stopping

        gone = await session.call_tool("get_run", {"run_id": "00000000-0000-4000-8000-000000000000"})
        assert gone.is_error and structured(gone)["error_code"] == "EXECUTION_NOT_FOUND"
        assert "00000000-0000-4000-8000-000000000000" in text_of(gone)
        again = await session.call_tool("cancel_run", {"run_id": first})
        assert again.is_error and structured(again)["error_code"] == "JOB_ALREADY_FINISHED"
        bad_limit = await session.call_tool("list_runs", {"limit": 5000})
        assert bad_limit.is_error and text_of(bad_limit).startswith("limit: Input should be less than or equal to 1000")


async def test_a_command_run_cannot_be_cancelled_and_kept(bridge: BridgeHost, mcp_log: Path) -> None:
    run = bridge.history.create(RunKind.COMMAND, command="cook", started=True)
    async with mcp_stdio(mcp_log, "--url", bridge.url) as session:
        refused = await session.call_tool("cancel_run", {"run_id": run.id})
    assert refused.is_error and "is a command run" in text_of(refused)
    record = bridge.history.get(run.id)
    assert record is not None and record.run.status.value == "running"


async def test_trace_and_sandbox_tools(bridge: BridgeHost, mcp_log: Path) -> None:
    containment = get_json(bridge, "/api/v1/health")["containment"]
    for backend in ("trace", "sandbox"):
        if not containment[backend]["available"]:
            missing(f"the {backend} cannot run here: {containment[backend]['reason']}")
    async with mcp_stdio(mcp_log, "--url", bridge.url) as session:
        traced = await session.call_tool("trace_python", {
            "code": "x = [1, 2]\nname = input()\nprint(name, len(x))", "user_input": ["Ada"], "max_steps": 50})
        assert traced.is_error is False, text_of(traced)
        reply = structured(traced)
        # input() echoes its answer, as in Python Tutor
        assert reply["status"] == "completed" and reply["stdout"] == "Ada\nAda 2\n"
        assert [step["line"] for step in reply["steps"]][:3] == [1, 2, 3]
        assert "x=[1, 2]" in text_of(traced) and "> Ada 2" in text_of(traced)

        failing = await session.call_tool("trace_python", {"code": "1 / 0"})
        assert failing.is_error and "ZeroDivisionError" in text_of(failing)
        over = await session.call_tool("trace_python", {"code": "1", "max_steps": 0})
        assert over.is_error and text_of(over).startswith("max_steps: Input should be greater than or equal to 1")

        boxed = await session.call_tool("run_sandboxed", {"language": "python", "code": "print(input() * 2)",
                                                          "stdin": "ab\n"})
        assert boxed.is_error is False, text_of(boxed)
        assert structured(boxed)["stdout"] == "abab\n" and "--- stdout\nabab" in text_of(boxed)
        crashed = await session.call_tool("run_sandboxed", {"language": "python", "code": "raise SystemExit(3)"})
        assert crashed.is_error and structured(crashed)["exit_code"] == 3
        unknown = await session.call_tool("run_sandboxed", {"language": "cobol", "code": "x"})
        assert unknown.is_error and "cobol" in text_of(unknown)


async def test_resources_and_prompts(bridge: BridgeHost, mcp_log: Path) -> None:
    from mcp.shared.exceptions import MCPError

    async with mcp_stdio(mcp_log, "--url", bridge.url) as session:
        listed = {str(r.uri) for r in (await session.list_resources()).resources}
        assert {"editor://info", "editor://scripts/list_assets"} <= listed
        templates = {t.uri_template for t in (await session.list_resource_templates()).resource_templates}
        assert templates == {"editor://runs/{id}", "editor://scripts/{name}"}

        info = json.loads((await read_text(session, "editor://info"))[0])
        assert info["mock"] is True and info["pid"] == get_json(bridge, "/api/v1/python/info")["pid"]

        job_id = structured(await session.call_tool("execute_python", {
            "code": "import unreal\nprint('printed')\nunreal.log_error('broken')"}))["job_id"]
        run = json.loads((await read_text(session, f"editor://runs/{job_id}"))[0])
        assert run["output"] == "printed\nError: broken\n"
        assert [entry["content"] for entry in run["logs"] if entry["level"] == "error"] == ["broken"]

        text, source = await read_text(session, "editor://scripts/list_assets")
        script = next(s for s in get_json(bridge, "/api/v1/scripts")["scripts"] if s["name"] == "list_assets")
        assert text == Path(script["source"]).read_text(encoding="utf-8")
        assert source.mime_type == "text/x-python"

        for uri, words in (("editor://scripts/nope", "no editor script named 'nope'"),
                           ("editor://runs/00000000-0000-4000-8000-000000000000", "not found"),
                           ("editor://elsewhere", "unknown resource")):
            with pytest.raises(MCPError, match=words):
                await session.read_resource(uri)

        prompts = {p.name: p for p in (await session.list_prompts()).prompts}
        assert set(prompts) == {"inspect_level", "write_editor_script"}
        inspect = await session.get_prompt("inspect_level", {"focus": "lighting"})
        message = inspect.messages[0].content
        assert isinstance(message, types.TextContent)
        text = message.text
        assert "execute_python" in text and "lighting" in text
        # The code the prompt hands the agent runs as it stands.
        code = text.split("```python\n", 1)[1].split("```", 1)[0]
        ran = await session.call_tool("execute_python", {"code": code})
        assert ran.is_error is False and "actors" in structured(ran)["output"], text_of(ran)
        with pytest.raises(MCPError, match="needs the argument task"):
            await session.get_prompt("write_editor_script", {})


async def test_an_editor_that_is_not_there_is_a_tool_error(mcp_log: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    async with mcp_stdio(mcp_log, "--url", f"http://127.0.0.1:{closed}") as session:
        tools = {tool.name for tool in (await session.list_tools()).tools}
        assert tools == BUILTIN  # no scripts without an editor, and no crash either
        result = await session.call_tool("execute_python", {"code": "1"})
        assert result.is_error and f"cannot reach the bridge at http://127.0.0.1:{closed}" in text_of(result)
    async with mcp_stdio(mcp_log, "--project", str(tmp_path / "NoEditorHere")) as session:
        result = await session.call_tool("list_runs", {})
        assert result.is_error and "no running bridge found for" in text_of(result)
