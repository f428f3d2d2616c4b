"""Resources: `editor://info`, `editor://runs/{id}` (output and logs), `editor://scripts/{name}` (source)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, List

import mcp_types as types
from mcp.shared.exceptions import MCPError

from ..client.bridge_client import BridgeError
from .editors import Editors, NoEditor
from .scripts_tools import ScriptTools

INFO_URI = "editor://info"
RUN_URI = re.compile(r"^editor://runs/(?P<id>[^/?#]+)$")
SCRIPT_URI = re.compile(r"^editor://scripts/(?P<name>[A-Za-z_][A-Za-z0-9_]*)$")
JSON_TYPE = "application/json"

TEMPLATES = [
    types.ResourceTemplate(uri_template="editor://runs/{id}", name="run",
                           description="What a run of the history printed, and its log lines", mime_type=JSON_TYPE),
    types.ResourceTemplate(uri_template="editor://scripts/{name}", name="script",
                           description="The source of a named editor script", mime_type="text/x-python"),
]


def listing(scripts: ScriptTools) -> List[types.Resource]:
    found = [types.Resource(uri=INFO_URI, name="info", mime_type=JSON_TYPE,
                            description="Which editor this is: engine version, project, Python, bridge version")]
    for tool in scripts.tools():
        name = tool.title or tool.name
        found.append(types.Resource(uri=f"editor://scripts/{name}", name=f"script {name}",
                                    mime_type="text/x-python", description=f"The source of the editor script {name}"))
    return found


async def read(uri: str, editors: Editors, scripts: ScriptTools) -> types.ReadResourceResult:
    try:
        text, mime = await _content(uri, editors, scripts)
    except (BridgeError, NoEditor) as exc:
        raise MCPError(code=types.INTERNAL_ERROR, message=str(exc), data={"uri": uri}) from None
    return types.ReadResourceResult(contents=[types.TextResourceContents(uri=uri, text=text, mime_type=mime)])


async def _content(uri: str, editors: Editors, scripts: ScriptTools) -> Any:
    if uri == INFO_URI:
        client = await editors.client()
        return json.dumps(await client.info_async(), indent=2), JSON_TYPE
    run = RUN_URI.match(uri)
    if run:
        output = await (await editors.client()).execution_output_async(run["id"])
        return json.dumps(output, indent=2), JSON_TYPE
    named = SCRIPT_URI.match(uri)
    if named:
        await editors.client()
        await scripts.current()
        script = scripts.by_script_name(named["name"])
        if script is None:
            raise MCPError(code=types.INVALID_PARAMS, message=f"no editor script named '{named['name']}'; "
                           "resources/list shows the scripts", data={"uri": uri})
        try:
            # The bridge listens on loopback only, so its script files are on this machine.
            return Path(script["source"]).read_text(encoding="utf-8"), "text/x-python"
        except OSError as exc:
            raise MCPError(code=types.INTERNAL_ERROR, data={"uri": uri},
                           message=f"cannot read {script['source']}: {exc.strerror}") from None
    raise MCPError(code=types.INVALID_PARAMS, data={"uri": uri},
                   message=f"unknown resource {uri}: editor://info, editor://runs/{{id}} or editor://scripts/{{name}}")
