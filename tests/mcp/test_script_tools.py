"""Named scripts as tools: a script saved into a watched folder appears, announced by list_changed."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BridgeFactory

from .conftest import Inbox, eventually, mcp_stdio, structured, text_of

pytestmark = pytest.mark.slow

TAG_SCRIPT = '''"""Tag things for the LOD pass."""
from __future__ import annotations

from typing import List


def tag_for_lod(names: List[str], tag: str = "NeedsLOD") -> List[str]:
    """Prefix each name with a tag.

    Args:
        names: what to tag
        tag: the tag to put in front
    """
    if not names:
        raise ValueError("names must not be empty: give at least one name to tag")
    return [f"{tag}:{name}" for name in names]
'''


async def test_a_script_saved_on_disk_becomes_a_tool(start_bridge: BridgeFactory, tmp_path: Path,
                                                     mcp_log: Path) -> None:
    folder = tmp_path / "project_scripts"
    folder.mkdir()
    bridge = start_bridge(scripts={"dirs": [str(folder)]})
    inbox = Inbox()
    async with mcp_stdio(mcp_log, "--url", bridge.url, inbox=inbox) as session:
        before = {tool.name for tool in (await session.list_tools()).tools}
        assert "tag_for_lod" not in before and "list_assets" in before
        changes = inbox.tool_list_changes()

        (folder / "tag_for_lod.py").write_text(TAG_SCRIPT, encoding="utf-8")
        await eventually(lambda: inbox.tool_list_changes() > changes, 20, "notifications/tools/list_changed")
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        tool = tools["tag_for_lod"]
        assert tool.description is not None and tool.description.startswith("Prefix each name with a tag.")
        assert tool.input_schema["required"] == ["names"]
        assert tool.input_schema["properties"]["names"]["description"] == "what to tag"

        ran = await session.call_tool("tag_for_lod", {"names": ["Rock", "Tree"]})
        assert ran.is_error is False, text_of(ran)
        job = structured(ran)
        assert job["result"] == ["NeedsLOD:Rock", "NeedsLOD:Tree"] and job["kind"] == "script"

        raised = await session.call_tool("tag_for_lod", {"names": []})
        assert raised.is_error and "names must not be empty" in text_of(raised)
        wrong = await session.call_tool("tag_for_lod", {"names": "Rock"})
        assert wrong.is_error and structured(wrong)["error_code"] == "INVALID_REQUEST"
        assert "params.names" in text_of(wrong)

        # A script that breaks on save stays listed, saying why; calling it is the bridge's refusal.
        changes = inbox.tool_list_changes()
        (folder / "tag_for_lod.py").write_text("def tag_for_lod(:\n", encoding="utf-8")
        await eventually(lambda: inbox.tool_list_changes() > changes, 20, "list_changed after the break")
        broken = {tool.name: tool for tool in (await session.list_tools()).tools}["tag_for_lod"]
        assert broken.description is not None and "failed to load" in broken.description
        refused = await session.call_tool("tag_for_lod", {"names": ["Rock"]})
        assert refused.is_error and structured(refused)["error_code"] == "SCRIPT_NOT_LOADED"

        changes = inbox.tool_list_changes()
        (folder / "tag_for_lod.py").unlink()
        await eventually(lambda: inbox.tool_list_changes() > changes, 20, "list_changed after the delete")
        assert "tag_for_lod" not in {tool.name for tool in (await session.list_tools()).tools}
