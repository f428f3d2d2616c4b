"""`ue-bridge mcp`: the MCP server, on the official SDK's low-level Server and its stdio and Streamable HTTP
transports. Low-level, because the tools change at run time (one per named script, with the registry's own
schemas) and their input schemas come from the REST API's models, not from Python signatures."""
from __future__ import annotations

import argparse
import logging
import socket
import sys
from typing import Any, Dict, List, Optional, Tuple

import anyio
import mcp_types as types
from mcp.server.lowlevel import NotificationOptions, Server
from mcp.server.models import InitializationOptions
from mcp.server.stdio import stdio_server
from mcp.server.subscriptions import ListenHandler
from mcp.server.transport_security import TransportSecuritySettings
from pydantic import ValidationError

from .._version import __version__
from ..api.http import describe_validation_error
from ..client.bridge_client import BridgeError
from ..config import Settings
from . import prompts, resources
from .editors import Editors, NoEditor, from_project
from .http_policy import HttpPolicy, parse_address
from .jobs import reply
from .listeners import ToolListeners
from .pipes import loop_stdio
from .progress import Progress
from .scripts_tools import ScriptTools
from .tools import BUILTIN, Call, ToolFailure

MCP_PATH = "/mcp"
INSTRUCTIONS = (
    "Tools of a running Unreal Editor, through its Python bridge. execute_python runs Python on the editor's "
    "game thread (`import unreal`); a long run answers with a job id and status 'running' and goes on: "
    "get_run shows it later, cancel_run stops it. Every named editor script is a tool of its own. "
    "trace_python and run_sandboxed run code outside the editor. list_editors and select_editor choose "
    "which editor, when several run."
)

log = logging.getLogger("bridge.mcp")


class BridgeServer(Server[Dict[str, Any]]):
    """The SDK's Server, advertising `tools.listChanged` on every transport (the HTTP one builds its own
    initialization options)."""

    def create_initialization_options(
        self, notification_options: Optional[NotificationOptions] = None,
        experimental_capabilities: Optional[Dict[str, Dict[str, Any]]] = None,
        extensions: Optional[Dict[str, Dict[str, Any]]] = None,
    ) -> InitializationOptions:
        return super().create_initialization_options(
            notification_options or NotificationOptions(tools_changed=True), experimental_capabilities, extensions)


def failure(message: str, **structured: Any) -> types.CallToolResult:
    return reply(message, {"error": message, **structured}, failed=True)


class BridgeMcp:
    """The handlers of every MCP request, over the editor `editors` chooses."""

    def __init__(self, editors: Editors) -> None:
        self.editors = editors
        self.listeners = ToolListeners()
        self.scripts = ScriptTools(editors, self.listeners, BUILTIN)
        self.server = BridgeServer(
            "ue-bridge", version=__version__, title="Unreal Python bridge", instructions=INSTRUCTIONS,
            on_list_tools=self._list_tools, on_call_tool=self._call_tool,
            on_list_resources=self._list_resources, on_list_resource_templates=self._list_templates,
            on_read_resource=self._read_resource, on_list_prompts=self._list_prompts,
            on_get_prompt=self._get_prompt, on_subscriptions_listen=ListenHandler(self.listeners.bus),
        )
        self.server.add_notification_handler("notifications/initialized", types.NotificationParams,
                                              self._initialized)

    async def _initialized(self, ctx: Any, params: types.NotificationParams) -> None:
        self.listeners.joined(ctx.session)

    async def _scripts_now(self) -> None:
        """The selected editor's scripts, choosing the editor first if none is; none when there is no editor."""
        try:
            await self.editors.client()
            await self.scripts.current()
        except (NoEditor, BridgeError) as exc:
            log.debug("no script tools: %s", exc)

    async def _list_tools(self, ctx: Any, params: Optional[types.PaginatedRequestParams]) -> types.ListToolsResult:
        await self._scripts_now()
        return types.ListToolsResult(tools=[tool.tool() for tool in BUILTIN.values()] + self.scripts.tools())

    async def _call_tool(self, ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        return await self.call(params.name, dict(params.arguments or {}), Progress(ctx.session.report_progress))

    async def call(self, name: str, arguments: Dict[str, Any], progress: Progress) -> types.CallToolResult:
        """One tool call; whatever goes wrong is an MCP tool error with the bridge's message."""
        try:
            builtin = BUILTIN.get(name)
            if builtin is not None:
                args = builtin.model.model_validate(arguments)
                return await builtin.handler(Call(self.editors, progress), args)
            if self.scripts.script(name) is None:
                await self._scripts_now()  # a script added since this client last listed the tools
            if self.scripts.script(name) is not None:
                return await self.scripts.run(name, arguments, progress)
            return failure(f"no tool named '{name}'; tools/list shows the tools (a named script appears there "
                           "once the editor has loaded it)")
        except ValidationError as exc:
            return failure(describe_validation_error(exc, "argument"), error_code="INVALID_ARGUMENTS")
        except BridgeError as exc:
            if exc.status is None:
                await self.editors.forget()
            return failure(str(exc), error_code=exc.code, http_status=exc.status)
        except (NoEditor, ToolFailure) as exc:
            return failure(str(exc))
        except Exception as exc:  # a defect of this server must cost one call, never the agent's connection
            log.exception("tool %r failed", name)
            return failure(f"the MCP server failed on {name}: {type(exc).__name__}: {exc}")

    async def _list_resources(self, ctx: Any, params: Any) -> types.ListResourcesResult:
        await self._scripts_now()
        return types.ListResourcesResult(resources=resources.listing(self.scripts))

    async def _list_templates(self, ctx: Any, params: Any) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(resource_templates=resources.TEMPLATES)

    async def _read_resource(self, ctx: Any, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        return await resources.read(str(params.uri), self.editors, self.scripts)

    async def _list_prompts(self, ctx: Any, params: Any) -> types.ListPromptsResult:
        return types.ListPromptsResult(prompts=[prompt.prompt() for prompt in prompts.PROMPTS.values()])

    async def _get_prompt(self, ctx: Any, params: types.GetPromptRequestParams) -> types.GetPromptResult:
        return prompts.get(params.name, params.arguments)


async def serve_stdio(app: BridgeMcp) -> None:
    async with loop_stdio() as pipes:
        stdin, stdout = pipes if pipes is not None else (None, None)
        async with stdio_server(stdin, stdout) as (read_stream, write_stream):
            await app.server.run(read_stream, write_stream, app.server.create_initialization_options())


async def serve_http(app: BridgeMcp, host: str, port: int, settings: Settings, token: Optional[str]) -> None:
    import uvicorn

    # The SDK's own Host/Origin check knows only its fixed list; the bridge's policy (in front) replaces it.
    starlette = app.server.streamable_http_app(
        streamable_http_path=MCP_PATH, host=host,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(128)
    shown = f"[{host}]" if ":" in host else host
    server = uvicorn.Server(uvicorn.Config(HttpPolicy(starlette, settings, token), log_level="warning",
                                           lifespan="on"))
    print(f"ue-bridge mcp: Streamable HTTP on http://{shown}:{listener.getsockname()[1]}{MCP_PATH}"
          f"{' (bearer token required)' if token else ''}", file=sys.stderr, flush=True)
    await server.serve(sockets=[listener])


def endpoint_token(args: argparse.Namespace) -> Optional[str]:
    """The HTTP endpoint asks for the bridge's token: --token, UE_BRIDGE_TOKEN, or the project's token file."""
    editors = Editors(token=args.token)
    if editors.token:
        return editors.token
    if args.project is not None:
        try:
            return from_project(args.project, None).token
        except NoEditor:
            return None
    return None


def bridge_settings() -> Settings:
    """The bridge's settings as the editor reads them (UE_BRIDGE_*, the settings file): its allowed_origins."""
    return Settings(**{})


async def run(args: argparse.Namespace, http: Optional[Tuple[str, int, Settings]]) -> int:
    editors = Editors(url=args.url, project=args.project, token=args.token)
    app = BridgeMcp(editors)
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(app.scripts.watch)
            if http is None:
                await serve_stdio(app)
            else:
                await serve_http(app, *http, endpoint_token(args))
            tasks.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            await editors.close()
    return 0


def main(args: argparse.Namespace) -> int:
    """`ue-bridge mcp`: serve until the client closes stdin (stdio) or until Ctrl-C (HTTP)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="ue-bridge mcp: %(message)s")
    http = None
    if args.http is not None:
        try:
            http = (*parse_address(args.http), bridge_settings())
        except (ValueError, ValidationError) as exc:
            print(f"ue-bridge: {exc}", file=sys.stderr)
            return 2
    try:
        return anyio.run(run, args, http)
    except KeyboardInterrupt:
        return 130


__all__: List[str] = ["BridgeMcp", "main"]
