"""Every named editor script as its own tool, as the bridge's script registry describes it, kept current."""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Dict, List, Optional

import mcp_types as types

from ..client.bridge_client import BridgeClient, BridgeError
from .editors import Editors
from .inputs import DEFAULT_WAIT_S
from .jobs import run_job
from .listeners import ToolListeners
from .progress import Progress

POLL_S = 2.0  # the bridge reloads a changed script folder within a quarter of a second
EMPTY_SCHEMA: Dict[str, Any] = {"type": "object", "properties": {}}

log = logging.getLogger("bridge.mcp")


def tool_name(script_name: str, taken: Any) -> str:
    """The script's own name, unless a built-in tool has it."""
    return script_name if script_name not in taken else f"{script_name}_script"


def script_tool(name: str, script: Dict[str, Any]) -> types.Tool:
    schema = dict(script.get("parameters") or EMPTY_SCHEMA)
    schema.setdefault("type", "object")
    if script.get("error"):
        description = f"This editor script failed to load and cannot run until {script['source']} is fixed: " \
                      f"{script['error']}"
    else:
        description = (f"{script.get('description') or script['name']}\n(named editor script "
                       f"'{script['name']}', run on the editor's game thread; its return value comes back as JSON)")
    return types.Tool(name=name, title=script["name"], description=description, input_schema=schema,
                      annotations=types.ToolAnnotations(open_world_hint=False))


class ScriptTools:
    """The scripts of the selected editor, by tool name; `watch()` tells clients when they change."""

    def __init__(self, editors: Editors, listeners: ToolListeners, builtin: Any) -> None:
        self._editors = editors
        self._listeners = listeners
        self._builtin = builtin
        self._scripts: Dict[str, Dict[str, Any]] = {}
        self._seen: Optional[str] = None
        self._from: Optional[BridgeClient] = None
        editors.on_change(self._switched)

    def tools(self) -> List[types.Tool]:
        return [script_tool(name, script) for name, script in self._scripts.items()]

    def script(self, name: str) -> Optional[Dict[str, Any]]:
        return self._scripts.get(name)

    def by_script_name(self, script_name: str) -> Optional[Dict[str, Any]]:
        return next((s for s in self._scripts.values() if s["name"] == script_name), None)

    async def current(self) -> None:
        """Load the selected editor's scripts if they are not loaded yet (the first tools/list)."""
        client = self._editors.ready
        if client is not None and client is not self._from:
            await self.refresh()

    async def refresh(self) -> bool:
        """Read the scripts again; whether the tools they make changed."""
        client = self._editors.ready
        if client is None:
            return False
        scripts = await client.scripts_async()
        self._from = client
        seen = json.dumps(scripts, sort_keys=True)
        if seen == self._seen:
            return False
        self._seen = seen
        self._scripts = {tool_name(script["name"], self._builtin): script for script in scripts}
        return True

    async def watch(self) -> None:
        """Poll the selected editor's scripts forever; tell every client when they change."""
        while True:
            await asyncio.sleep(POLL_S)
            try:
                if await self.refresh():
                    await self._listeners.tools_changed()
            except BridgeError as exc:
                log.debug("scripts not read: %s", exc)

    async def run(self, name: str, arguments: Dict[str, Any], progress: Progress) -> types.CallToolResult:
        script = self._scripts[name]

        async def start(client: BridgeClient) -> Dict[str, Any]:
            return await client.run_script_async(script["name"], arguments)

        return await run_job(self._editors, start, DEFAULT_WAIT_S, progress)

    async def _switched(self, client: BridgeClient) -> None:
        try:
            changed = await self.refresh()
        except BridgeError as exc:
            log.debug("scripts not read: %s", exc)
            changed, self._scripts, self._seen = bool(self._scripts), {}, None
        if changed:
            await self._listeners.tools_changed()
