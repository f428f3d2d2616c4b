"""Waiting for a run: its live events from /api/ws, turned into MCP progress notifications, until it ends.

One WebSocket per editor serves every tool call that waits. It is opened before a run is started, so the
run's end cannot come before anyone listens; a run that ends before its caller registers is remembered.
Without the socket (it failed, or the bridge dropped it) the wait still works: it asks the history.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional

import aiohttp

from ..client.bridge_client import BridgeClient, BridgeError

FINISHED = ("completed", "failed", "cancelled")
CONNECT_WAIT_S = 2.0
RECONNECT_S = (0.5, 1.0, 2.0, 5.0)
HEARTBEAT_S = 2.0  # how often a waiting call asks the history, and reports progress when nothing else happened
LINE_EVERY_S = 0.25  # printed lines are reported at most this often: a loop of prints must not flood the agent
REMEMBERED_ENDS = 1000
MAX_MESSAGE = 200

log = logging.getLogger("bridge.mcp")
Report = Callable[[float, Optional[float], str], Awaitable[None]]


class RunEvents:
    """The editor's /api/ws stream, fanned out to the calls waiting on each run."""

    def __init__(self, client: BridgeClient) -> None:
        self._client = client
        self._waiting: Dict[str, List[asyncio.Queue[Dict[str, Any]]]] = {}
        self._ended: OrderedDict[str, Dict[str, Any]] = OrderedDict()
        self._by_name: Dict[str, List[asyncio.Queue[Dict[str, Any]]]] = {}
        self._named: OrderedDict[str, str] = OrderedDict()
        self._connected = asyncio.Event()
        self._task: Optional[asyncio.Task[None]] = None

    async def start(self) -> bool:
        """Connect if not yet connected; whether live events flow (a wait without them asks the history)."""
        fresh = self._task is None or self._task.done()
        if fresh:
            self._task = asyncio.ensure_future(self._read_forever())
        if fresh and not self._connected.is_set():  # later calls do not wait on a socket that keeps failing
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._connected.wait(), CONNECT_WAIT_S)
        return self._connected.is_set()

    @contextlib.contextmanager
    def watch(self, run_id: Optional[str] = None, *, name: Optional[str] = None
              ) -> Iterator[asyncio.Queue[Dict[str, Any]]]:
        """The events of one run, known by its id, or by its name until it starts (then by its id too)."""
        queue: asyncio.Queue[Dict[str, Any]] = asyncio.Queue()
        keys = [(self._waiting, run_id)] if run_id is not None else [(self._by_name, name)]
        for table, key in keys:
            table.setdefault(str(key), []).append(queue)
        try:
            yield queue
        finally:
            bound = self._named.get(name) if name is not None else None
            for table, key in [*keys, *([(self._waiting, bound)] if bound else [])]:
                queues = table.get(str(key), [])
                if queue in queues:
                    queues.remove(queue)
                if not queues:
                    table.pop(str(key), None)

    def named(self, name: str) -> Optional[str]:
        """The id of the run called `name`, once it started while a call watched that name."""
        return self._named.get(name)

    def ended(self, run_id: str) -> Optional[Dict[str, Any]]:
        """The `execution_completed` data of a run that ended since the socket opened, if it did."""
        return self._ended.get(run_id)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _read_forever(self) -> None:
        failures = 0
        while True:
            try:
                ws = await self._client.events_async()
            except BridgeError as exc:
                log.debug("no live events: %s", exc)
            else:
                try:
                    failures = 0
                    await self._read(ws)
                except aiohttp.ClientError as exc:
                    log.debug("live events stopped: %s", exc)
                finally:
                    self._connected.clear()
                    await ws.close()
            await asyncio.sleep(RECONNECT_S[min(failures, len(RECONNECT_S) - 1)])
            failures += 1

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                return
            event = message.json()
            if event.get("type") == "connection_established":
                self._connected.set()
                continue
            data = event.get("data") or {}
            run_id = str(data.get("execution_id"))
            if event.get("type") == "execution_started" and data.get("name") in self._by_name:
                self._bind(str(data["name"]), run_id)
            if event.get("type") == "execution_completed":
                self._ended[run_id] = data
                while len(self._ended) > REMEMBERED_ENDS:
                    self._ended.popitem(last=False)
            for queue in self._waiting.get(run_id, []):
                queue.put_nowait(event)

    def _bind(self, name: str, run_id: str) -> None:
        self._named[name] = run_id
        while len(self._named) > REMEMBERED_ENDS:
            self._named.popitem(last=False)
        self._waiting.setdefault(run_id, []).extend(self._by_name.get(name, []))


class Progress:
    """MCP progress of one tool call: a count that only grows, and a message saying what the run does."""

    def __init__(self, report: Optional[Report]) -> None:
        self._report = report
        self._count = 0
        self._last_line = 0.0
        self.started = time.monotonic()

    async def say(self, message: str) -> None:
        if self._report is None:
            return
        self._count += 1
        await self._report(float(self._count), None, message[:MAX_MESSAGE])

    async def event(self, event: Dict[str, Any]) -> None:
        data = event.get("data") or {}
        if event.get("type") == "step_update":
            step = data.get("step") or {}
            await self.say(f"step '{step.get('name')}' {step.get('status')}")
        elif event.get("type") == "log_entry":
            now = time.monotonic()
            if now - self._last_line >= LINE_EVERY_S:
                self._last_line = now
                await self.say(str(data.get("content", "")))
        elif event.get("type") == "artifact_created":
            await self.say(f"artifact '{(data.get('artifact') or {}).get('name')}'")

    async def heartbeat(self, execution: Dict[str, Any]) -> None:
        percent = execution.get("progress_percentage")
        shown = f", {percent:g}%" if percent else ""
        await self.say(f"{execution.get('status')} for {time.monotonic() - self.started:.0f} s{shown}")


async def follow(client: BridgeClient, events: RunEvents, run_id: str, wait: float, progress: Progress,
                 *, live: bool) -> str:
    """Wait up to `wait` seconds for the run to end, reporting progress; its status then."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    with events.watch(run_id) as queue:
        ended = events.ended(run_id)
        if ended is not None:
            return str(ended["status"])
        if not live:  # nothing will arrive on the queue: the history says how it is doing
            status = await _status(client, run_id, progress, report=False)
            if status in FINISHED:
                return status
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return await _status(client, run_id, progress, report=False)
            try:
                event = await asyncio.wait_for(queue.get(), min(remaining, HEARTBEAT_S if live else 0.2))
            except asyncio.TimeoutError:
                status = await _status(client, run_id, progress, report=live)
                if status in FINISHED:
                    return status
                continue
            if event.get("type") == "execution_completed":
                return str(event["data"]["status"])
            await progress.event(event)


async def _status(client: BridgeClient, run_id: str, progress: Progress, *, report: bool) -> str:
    execution = (await client.execution_async(run_id))["execution"]
    if report and execution["status"] not in FINISHED:
        await progress.heartbeat(execution)
    return str(execution["status"])
