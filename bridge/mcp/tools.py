"""The built-in tools: editor Python, the run history, the tracer, the sandbox, and which editor."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Type

import mcp_types as types
from pydantic import BaseModel

from .editors import Editors
from .inputs import (
    CancelRun,
    ExecutePython,
    GetRun,
    ListEditors,
    ListRuns,
    RunSandboxed,
    SelectEditor,
    TracePython,
    schema,
)
from .jobs import reply, run_python
from .progress import Progress
from .render import run_text, runs_text, sandbox_text, trace_text

EDITOR_JOB_KINDS = ("editor", "script")
TRACE_TIMEOUT_S = 120.0
SANDBOX_MARGIN_S = 60.0  # compiling and queueing come on top of a run's own timeout_ms
TRACE_FAILURES = ("error", "timeout", "memory_limit")


class ToolFailure(Exception):
    """A tool call that cannot be done; the message says why and what to do instead."""


@dataclass(frozen=True)
class Call:
    """What a tool handler works with: the editor to use and the call's progress."""

    editors: Editors
    progress: Progress


Handler = Callable[[Call, Any], Awaitable[types.CallToolResult]]


@dataclass(frozen=True)
class BuiltinTool:
    name: str
    description: str
    model: Type[BaseModel]
    handler: Handler
    read_only: bool = False

    def tool(self) -> types.Tool:
        return types.Tool(name=self.name, description=self.description, input_schema=schema(self.model),
                          annotations=types.ToolAnnotations(read_only_hint=self.read_only,
                                                            open_world_hint=False))


async def execute_python(call: Call, args: Any) -> types.CallToolResult:
    body = args.model_dump(exclude={"wait"}, exclude_none=True)
    return await run_python(call.editors, body, args.wait, call.progress)


async def get_run(call: Call, args: Any) -> types.CallToolResult:
    client = await call.editors.client()
    detail = await client.execution_async(args.run_id)
    output = await client.execution_output_async(args.run_id)
    structured: Dict[str, Any] = {**detail, "output": output["output"], "output_truncated": output["output_truncated"],
                                  "logs": output["logs"]}
    text = run_text(detail, output)
    if detail["execution"]["kind"] in EDITOR_JOB_KINDS:
        job = await client.job_async(args.run_id)
        for key in ("result", "error", "error_type", "traceback"):
            structured[key] = job.get(key)
        if job.get("result") is not None:
            text += f"\n--- result\n{job['result']}"
        if job.get("traceback"):
            text += f"\n--- traceback\n{job['traceback'].rstrip()}"
    return reply(text, structured)


async def list_runs(call: Call, args: Any) -> types.CallToolResult:
    query = {key: str(value) for key, value in args.model_dump().items() if value is not None}
    page = await (await call.editors.client()).executions_async(query)
    return reply(runs_text(page), page)


async def cancel_run(call: Call, args: Any) -> types.CallToolResult:
    client = await call.editors.client()
    kind = (await client.execution_async(args.run_id))["execution"]["kind"]
    if kind not in EDITOR_JOB_KINDS:
        raise ToolFailure(
            f"run {args.run_id} is a {kind} run: only editor and script runs can be cancelled and kept. "
            f"DELETE /api/executions/{args.run_id} on the bridge cancels it and deletes it from the history")
    answer = await client.cancel_async(args.run_id)
    return reply(str(answer["message"]), answer)


async def trace_python(call: Call, args: Any) -> types.CallToolResult:
    body: Dict[str, Any] = {"code": args.code, "user_input": args.user_input}
    if args.max_steps is not None:
        body["options"] = {"max_steps": args.max_steps}
    answer = await (await call.editors.client()).trace_async(body, timeout=TRACE_TIMEOUT_S)
    return reply(trace_text(answer), answer, failed=answer["status"] in TRACE_FAILURES)


async def run_sandboxed(call: Call, args: Any) -> types.CallToolResult:
    body = args.model_dump()
    timeout = args.timeout_ms / 1000 + SANDBOX_MARGIN_S
    answer = await (await call.editors.client()).sandbox_async(body, timeout=timeout)
    return reply(sandbox_text(answer), answer, failed=answer["status"] != "ok")


async def list_editors(call: Call, args: Any) -> types.CallToolResult:
    editors = await call.editors.listing()
    lines = [f"{'* ' if e['selected'] else '  '}{e['url']}  {e['project'] or '(token required)'}  "
             f"{e['engine_version'] or ''}  pid {e['pid'] or '?'}{'  mock' if e['mock'] else ''}" for e in editors]
    return reply("\n".join(lines) or "no running editor found", {"editors": editors})


async def select_editor(call: Call, args: Any) -> types.CallToolResult:
    editor = await call.editors.select(url=args.url, project=args.project)
    return reply(f"now using {editor.url} ({editor.project}, {editor.engine_version})", editor.view(True))


BUILTIN = {tool.name: tool for tool in (
    BuiltinTool(
        "execute_python",
        "Run Python in the Unreal Editor, on its game thread (`import unreal`). Returns what it printed and "
        "logged, the value of a trailing expression (or of `mode: eval`), or the error and traceback. A run "
        "still going after `wait` seconds is answered with its job id and status 'running': it goes on.",
        ExecutePython, execute_python),
    BuiltinTool("get_run", "One run of the editor's history, of any kind: status, steps, artifacts, output, logs, "
                "and for editor jobs the result or traceback.", GetRun, get_run, read_only=True),
    BuiltinTool("list_runs", "Recent runs of the editor's history (editor jobs, named scripts, traces, sandbox "
                "runs, commands), newest first.", ListRuns, list_runs, read_only=True),
    BuiltinTool("cancel_run", "Cancel a pending or running editor job or named script run (it stops at its next "
                "Python bytecode).", CancelRun, cancel_run),
    BuiltinTool("trace_python", "Run a Python program step by step in an isolated worker (not in the editor): "
                "every step's line, event and variables, and its output.", TracePython, trace_python,
                read_only=True),
    BuiltinTool("run_sandboxed", "Run untrusted code in a sandbox (python, javascript, ruby, go, rust, java, c, "
                "cpp): no network, no host files, hard limits. Returns stdout, stderr and the exit code.",
                RunSandboxed, run_sandboxed, read_only=True),
    BuiltinTool("list_editors", "Every running editor (bridge) on this machine, and which one the tools use.",
                ListEditors, list_editors, read_only=True),
    BuiltinTool("select_editor", "Use another running editor from now on: by its url or its project folder.",
                SelectEditor, select_editor),
)}
