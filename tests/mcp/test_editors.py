"""Two headless hosts: list_editors finds both, select_editor switches, --project finds one by instance.json."""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from mock_unreal.testing import MockProject
from tests.conftest import BridgeFactory

from .conftest import Inbox, mcp_stdio, read_text, structured, text_of

pytestmark = pytest.mark.slow


async def test_two_editors_listed_and_switched(unreal_project: MockProject, start_bridge: BridgeFactory,
                                               tmp_path: Path, mcp_log: Path) -> None:
    first = start_bridge(history={"data_dir": tmp_path / "first"})
    second = start_bridge(history={"data_dir": tmp_path / "second"})
    inbox = Inbox()
    async with mcp_stdio(mcp_log, "--url", first.url, inbox=inbox) as session:
        ran = structured(await session.call_tool("execute_python", {"code": "print('on the first')"}))
        assert first.history.get(ran["job_id"]) is not None and second.history.get(ran["job_id"]) is None

        listed = await session.call_tool("list_editors", {})
        editors = {editor["url"]: editor for editor in structured(listed)["editors"]}
        # Other bridges may run on this machine too: both of ours are found, the first one selected.
        assert {first.url, second.url} <= set(editors)
        assert editors[first.url]["selected"] is True and editors[second.url]["selected"] is False
        assert editors[second.url]["project"] == "MockProject" and editors[second.url]["mock"] is True
        assert "token" not in json.dumps(editors[second.url]).replace("needs_token", "")

        changes = inbox.tool_list_changes()
        switched = await session.call_tool("select_editor", {"url": second.url})
        assert switched.is_error is False and structured(switched)["url"] == second.url
        ran = structured(await session.call_tool("execute_python", {"code": "print('on the second')"}))
        assert second.history.get(ran["job_id"]) is not None and first.history.get(ran["job_id"]) is None
        after = {e["url"]: e for e in structured(await session.call_tool("list_editors", {}))["editors"]}
        assert after[second.url]["selected"] is True and after[first.url]["selected"] is False
        assert inbox.tool_list_changes() == changes  # the same scripts on both: nothing changed

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed = probe.getsockname()[1]
        nowhere = await session.call_tool("select_editor", {"url": f"http://127.0.0.1:{closed}"})
        assert nowhere.is_error and "no bridge answers at" in text_of(nowhere)
        both = await session.call_tool("select_editor", {"url": first.url, "project": str(tmp_path)})
        assert both.is_error and "either url or project" in text_of(both)
        # A failed switch keeps the editor in use.
        ran = structured(await session.call_tool("execute_python", {"code": "1"}))
        assert second.history.get(ran["job_id"]) is not None

        # By project: the instance.json the host wrote (the latest host to start owns it).
        project_dir = json.loads((await read_text(session, "editor://info"))[0])["project_dir"]
        by_project = await session.call_tool("select_editor", {"project": project_dir})
        assert by_project.is_error is False and structured(by_project)["url"] == second.url
        assert structured(by_project)["found_by"] == "--project"


async def test_project_option_uses_the_instance_file(unreal_project: MockProject, start_bridge: BridgeFactory,
                                                     mcp_log: Path) -> None:
    host = start_bridge()
    assert host.instance_file is not None
    project_dir = host.instance_file.parent.parent.parent
    async with mcp_stdio(mcp_log, "--project", str(project_dir)) as session:
        ran = structured(await session.call_tool("execute_python", {"code": "print('found')"}))
        assert host.history.get(ran["job_id"]) is not None


async def test_a_bridge_with_a_token(start_bridge: BridgeFactory, mcp_log: Path) -> None:
    host = start_bridge(token="s3cret-token")
    async with mcp_stdio(mcp_log, "--url", host.url) as session:
        refused = await session.call_tool("execute_python", {"code": "1"})
        assert refused.is_error and structured(refused)["error_code"] == "UNAUTHORIZED"
        listed = {e["url"]: e for e in structured(await session.call_tool("list_editors", {}))["editors"]}
        assert listed[host.url]["needs_token"] is True
    async with mcp_stdio(mcp_log, "--url", host.url, "--token", "s3cret-token") as session:
        assert structured(await session.call_tool("execute_python", {"code": "6 * 7"}))["result"] == "42"
