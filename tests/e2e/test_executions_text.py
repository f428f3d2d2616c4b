"""GET /api/executions?text=: the Runs page's search, over real HTTP."""
from __future__ import annotations

import aiohttp
import pytest

from bridge.host import BridgeHost
from bridge.runs import RunKind, RunStatus

from .conftest import error_code, get


async def test_text_finds_runs_by_name_command_or_id(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    history = bridge.history
    shown = history.create(RunKind.EDITOR, name="Import textures", command="import_textures()", tags=("art",))
    history.finish(shown.id, RunStatus.COMPLETED)
    other = history.create(RunKind.COMMAND, name=None, command="make lighting")
    history.finish(other.id, RunStatus.FAILED, error_message="x")

    async def ids(**params: str) -> list:
        data = (await get(http, "/api/executions", params=params))["data"]
        assert data["total_count"] == len(data["executions"])
        return [execution["id"] for execution in data["executions"]]

    assert await ids(text="TEXTURES") == [shown.id]
    assert await ids(text="lighting") == [other.id]
    assert await ids(text=other.id[:6]) == [other.id]
    assert await ids(text="e", tag="art") == [shown.id]
    assert await ids(text="e", status="failed") == [other.id]
    assert await ids(text="%") == []


@pytest.mark.parametrize("text", ["", "x" * 201])
async def test_text_out_of_bounds_is_400(http: aiohttp.ClientSession, text: str) -> None:
    assert await error_code(http.get("/api/executions", params={"text": text}), 400) == "INVALID_REQUEST"
