"""Prompts that get an agent started: look at the open level, write a named editor script."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

import mcp_types as types
from mcp.shared.exceptions import MCPError

INSPECT_CODE = '''import unreal
actors = unreal.get_editor_subsystem(unreal.EditorActorSubsystem).get_all_level_actors()
world = unreal.EditorLevelLibrary.get_editor_world()
print(f"level: {world.get_name()}, {len(actors)} actors")
for actor in actors:
    print(actor.get_actor_label(), actor.get_class().get_name(), actor.get_actor_location())'''


def inspect_level(arguments: Dict[str, str]) -> str:
    focus = arguments.get("focus") or "what is in it and anything that looks wrong"
    return (
        "Inspect the level open in the Unreal Editor. First call the execute_python tool with this code, "
        "which lists every actor with its class and location:\n\n"
        f"```python\n{INSPECT_CODE}\n```\n\n"
        f"Then summarise the level, focusing on {focus}. Use more execute_python calls (the `unreal` API "
        "on the editor's game thread) to look closer where it helps; change nothing unless asked."
    )


def write_editor_script(arguments: Dict[str, str]) -> str:
    task = arguments.get("task")
    if not task:
        raise MCPError(code=types.INVALID_PARAMS, message="write_editor_script needs the argument task: what the "
                       "script should do")
    return (
        f"Write a named editor script for the Unreal Python bridge that does this: {task}\n\n"
        "A named script is a Python module with one public function (helpers start with `_`), parameters "
        "typed with JSON-friendly types (`str`, `int`, `float`, `bool`, `typing.List[...]`, `typing.Dict[str, "
        "...]`, `typing.Optional[...]`, `typing.Literal[...]`; no `list[str]` or `str | None`: the editor may "
        "embed Python 3.9), a docstring whose first paragraph says what it does and whose `Args:` section "
        "describes each parameter, `unreal` called inside the function (never at import time), and an "
        "exception with a helpful message when it cannot do its job. Its return value is sent back as JSON.\n\n"
        "Try the body first with the execute_python tool. Then save the module in one of the folders the "
        "bridge watches for scripts (the bridge's GET /api/v1/scripts names them under "
        "`directories`): it appears as a new tool of this server within seconds."
    )


@dataclass(frozen=True)
class BridgePrompt:
    name: str
    description: str
    arguments: List[types.PromptArgument]
    text: Callable[[Dict[str, str]], str]

    def prompt(self) -> types.Prompt:
        return types.Prompt(name=self.name, description=self.description, arguments=self.arguments)


PROMPTS = {prompt.name: prompt for prompt in (
    BridgePrompt("inspect_level", "Inspect the level open in the editor: its actors, then a summary",
                 [types.PromptArgument(name="focus", description="what to look at closely (optional)",
                                       required=False)], inspect_level),
    BridgePrompt("write_editor_script", "Write a named editor script that becomes a tool of this server",
                 [types.PromptArgument(name="task", description="what the script should do", required=True)],
                 write_editor_script),
)}


def get(name: str, arguments: Optional[Dict[str, str]]) -> types.GetPromptResult:
    prompt = PROMPTS.get(name)
    if prompt is None:
        raise MCPError(code=types.INVALID_PARAMS, message=f"no prompt named '{name}'; prompts/list shows them")
    text = prompt.text(dict(arguments or {}))
    return types.GetPromptResult(description=prompt.description, messages=[
        types.PromptMessage(role="user", content=types.TextContent(type="text", text=text))])
