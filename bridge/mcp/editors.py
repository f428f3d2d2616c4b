"""Which editor the MCP server drives: `--url`, `--project` (its instance.json), or the only one running."""
from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set

import psutil

from ..client.bridge_client import BridgeClient, BridgeError, Target
from ..host.instance import find_instance, instance_path, read_instance
from ..processes import pid_alive
from .progress import RunEvents

PROBE_TIMEOUT_S = 1.0
PROBE_CONCURRENCY = 16
DEFAULT_PORT = 8000  # probed even where the process table cannot be read
LOOPBACK_BINDS = ("127.0.0.1", "::1", "0.0.0.0", "::")


class NoEditor(Exception):
    """No editor can be chosen; the message says what to do."""


@dataclass(frozen=True)
class Editor:
    """A running bridge, as found."""

    url: str
    found_by: str
    project: Optional[str] = None
    project_dir: Optional[str] = None
    engine_version: Optional[str] = None
    pid: Optional[int] = None
    mock: Optional[bool] = None
    needs_token: bool = False
    token: Optional[str] = None

    def view(self, selected: bool = False) -> Dict[str, Any]:
        """What an agent sees: never the token."""
        return {"url": self.url, "project": self.project, "project_dir": self.project_dir,
                "engine_version": self.engine_version, "pid": self.pid, "mock": self.mock,
                "needs_token": self.needs_token, "found_by": self.found_by, "selected": selected}


def read_token(token_file: Optional[str]) -> Optional[str]:
    if not token_file:
        return None
    try:
        return Path(token_file).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def from_project(project: Path, token: Optional[str]) -> Editor:
    """The editor that has `project` open, from its instance.json; NoEditor saying why when there is none."""
    try:
        info = find_instance(project)
    except ValueError as exc:
        raise NoEditor(str(exc)) from None
    return Editor(url=info.url.rstrip("/"), found_by="--project", project=info.project,
                  project_dir=info.project_dir, engine_version=info.engine_version, pid=info.pid,
                  token=read_token(info.token_file) or token)


def _loopback_ports() -> Set[int]:
    """Ports something on this machine listens on that a loopback client can reach."""
    ports = {DEFAULT_PORT}
    try:
        connections = psutil.net_connections(kind="tcp")
    except (psutil.AccessDenied, OSError):  # macOS without root: fall back to the default port alone
        return ports
    for conn in connections:
        if conn.status == psutil.CONN_LISTEN and conn.laddr and (
                conn.laddr.ip in LOOPBACK_BINDS or conn.laddr.ip.startswith("127.")):
            ports.add(conn.laddr.port)
    return ports


def _open_projects() -> Dict[str, Editor]:
    """Editors whose project is on a running process's command line (`UnrealEditor Game.uproject`), by URL."""
    found: Dict[str, Editor] = {}
    for process in psutil.process_iter(["cmdline"]):
        for arg in process.info.get("cmdline") or []:
            if not arg.endswith(".uproject"):
                continue
            info = read_instance(instance_path(Path(arg).parent))
            if info is not None and pid_alive(info.pid):
                found[info.url.rstrip("/")] = Editor(
                    url=info.url.rstrip("/"), found_by="instance.json", project=info.project,
                    project_dir=info.project_dir, engine_version=info.engine_version, pid=info.pid,
                    token=read_token(info.token_file))
    return found


async def probe(url: str, token: Optional[str], found_by: str) -> Optional[Editor]:
    """The bridge at `url` by its /api/v1/python/info, or None when what answers is not a bridge."""
    client = BridgeClient(Target(url, token))
    try:
        info = await client.info_async(timeout=PROBE_TIMEOUT_S)
    except BridgeError as exc:
        if exc.status == 401 and exc.code == "UNAUTHORIZED":
            return Editor(url=url, found_by=found_by, needs_token=True)
        return None
    finally:
        await client.aclose()
    if not {"bridge_version", "project_name", "pid"} <= set(info):
        return None
    return Editor(url=url, found_by=found_by, project=info["project_name"], project_dir=info.get("project_dir"),
                  engine_version=info.get("engine_version"), pid=info["pid"], mock=info.get("mock"), token=token)


async def discover(token: Optional[str]) -> List[Editor]:
    """Every bridge listening on this machine's loopback, with what its instance.json adds (its token)."""
    loop = asyncio.get_running_loop()
    projects, ports = await asyncio.gather(loop.run_in_executor(None, _open_projects),
                                           loop.run_in_executor(None, _loopback_ports))
    gate = asyncio.Semaphore(PROBE_CONCURRENCY)

    async def one(port: int) -> Optional[Editor]:
        url = f"http://127.0.0.1:{port}"
        known = projects.get(url)
        async with gate:
            found = await probe(url, (known.token if known else None) or token, "listening port")
        if found is not None and known is not None:
            return replace(found, found_by="instance.json", project_dir=known.project_dir)
        return found

    found = [editor for editor in await asyncio.gather(*(one(port) for port in sorted(ports))) if editor]
    return sorted(found, key=lambda editor: editor.url)


def describe(editors: List[Editor]) -> str:
    return "; ".join(f"{e.url} ({e.project or 'token required'})" for e in editors)


class Editors:
    """The editor every tool call goes to, and its client; `select()` switches it for every MCP client."""

    def __init__(self, url: Optional[str] = None, project: Optional[Path] = None,
                 token: Optional[str] = None) -> None:
        self.token = token or os.environ.get("UE_BRIDGE_TOKEN") or None
        self._url = (url or os.environ.get("UE_BRIDGE_URL") or "").rstrip("/") or None
        self._project = project
        self._editor: Optional[Editor] = None
        self._client: Optional[BridgeClient] = None
        self._events: Optional[RunEvents] = None
        self._on_change: List[Callable[[BridgeClient], Awaitable[None]]] = []

    def on_change(self, callback: Callable[[BridgeClient], Awaitable[None]]) -> None:
        self._on_change.append(callback)

    @property
    def selected(self) -> Optional[Editor]:
        return self._editor

    @property
    def ready(self) -> Optional[BridgeClient]:
        """The client of the editor chosen so far, without looking for one."""
        return self._client

    @property
    def events(self) -> RunEvents:
        """The live events of the editor `client()` chose."""
        if self._events is None:
            raise RuntimeError("Editors.events is read after Editors.client() chose an editor")
        return self._events

    async def client(self) -> BridgeClient:
        """The current editor's client; chosen now (from --url, --project, or the only one running) if none is."""
        if self._client is None:
            await self._use(await self._choose())
        assert self._client is not None
        return self._client

    async def _choose(self) -> Editor:
        if self._url:
            return Editor(url=self._url, found_by="--url", token=self.token)
        if self._project is not None:
            return from_project(self._project, self.token)
        running = await discover(self.token)
        if len(running) == 1:
            return running[0]
        if not running:
            raise NoEditor("no running editor with the PythonBridge plugin was found on this machine: open the "
                           "project in the editor (or run `ue-bridge serve`), or start `ue-bridge mcp` with "
                           "--url or --project")
        raise NoEditor(f"{len(running)} editors are running: {describe(running)}. Call select_editor with the "
                       "url (or project) of the one to use, or start `ue-bridge mcp` with --url or --project")

    async def select(self, url: Optional[str] = None, project: Optional[str] = None) -> Editor:
        """Switch to the editor at `url`, or the one with `project` open; it must answer first."""
        if (url is None) == (project is None):
            raise NoEditor("select_editor takes either url or project (list_editors shows both)")
        if project is not None:
            editor = from_project(Path(project), self.token)
        else:
            assert url is not None
            editor = Editor(url=url.rstrip("/"), found_by="select_editor", token=self.token)
        answered = await probe(editor.url, editor.token, editor.found_by)
        if answered is None:
            raise NoEditor(f"no bridge answers at {editor.url}; list_editors shows the running ones")
        if answered.needs_token:
            raise NoEditor(f"the bridge at {editor.url} requires a token: start `ue-bridge mcp` with --token, "
                           "set UE_BRIDGE_TOKEN, or select it by project (its instance.json names its token file)")
        await self._use(replace(answered, found_by=editor.found_by, token=editor.token))
        assert self._editor is not None
        return self._editor

    async def listing(self) -> List[Dict[str, Any]]:
        """Every editor found, the selected one marked (and listed even when discovery cannot see it)."""
        found = await discover(self.token)
        current = self._editor.url if self._editor else None
        views = [editor.view(editor.url == current) for editor in found]
        if self._editor is not None and current not in {editor.url for editor in found}:
            views.insert(0, self._editor.view(True))
        return views

    async def forget(self) -> None:
        """After the editor went away: a project-pinned choice is looked up again (its port may change)."""
        if self._project is not None and self._url is None and self._client is not None:
            await self._drop()

    async def _use(self, editor: Editor) -> None:
        await self._drop()
        self._editor = editor
        self._client = BridgeClient(Target(editor.url, editor.token))
        self._events = RunEvents(self._client)
        for callback in self._on_change:
            await callback(self._client)

    async def _drop(self) -> None:
        client, events = self._client, self._events
        self._editor = self._client = self._events = None
        if events is not None:
            await events.close()
        if client is not None:
            await client.aclose()

    async def close(self) -> None:
        await self._drop()
