"""EventHub: the history's events fanned out to WebSocket clients, each behind a bounded queue.

The hub subscribes to `history.bus` once. Events arrive on whichever thread made the change (the
game thread, for an editor job's print); the hub hands them to the event loop and every client's
queue there. A client that reads too slowly to keep its queue below `queue_size` messages gets one
`error` (SLOW_CONSUMER) and is disconnected: a slow viewer never slows a run.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import threading
from typing import Any, Callable, Dict, Iterator, Optional, Set, Union

import orjson
from aiohttp import web

from ...runs import RunHistory
from ...runs.events import Change, OutputAdded, RunChanged, RunDeleted, RunEvent, run_id_of
from .envelope import now_iso
from .messages import Message, error_message, message, messages_for
from .shapes import execution_out

log = logging.getLogger("bridge")

QUEUE_SIZE = 1000  # messages waiting for one client before it counts as too slow
SLOW_CLOSE_GRACE_S = 5.0  # for the SLOW_CONSUMER error and the close frame to get through, then the socket goes
ALL = "*"


class _Close:
    """Queued after the last message a client gets."""


CLOSE = _Close()


class WsClient:
    """One connected viewer: what it is subscribed to and the messages waiting for it."""

    def __init__(self, client_id: int, ws: web.WebSocketResponse, transport: Optional[asyncio.Transport],
                 queue_size: int) -> None:
        self.id = client_id
        self.ws = ws
        self.transport = transport
        self.queue: asyncio.Queue[Union[Message, _Close]] = asyncio.Queue(queue_size)
        # Subscribed to every run by default, as the seed's example expects; `unsubscribe` without an id stops all.
        self.everything = True
        self.runs: Set[str] = set()
        self.excluded: Set[str] = set()
        self.closing = False

    def wants(self, run_id: Optional[str]) -> bool:
        if run_id is None:
            return False
        return (self.everything and run_id not in self.excluded) or run_id in self.runs

    def subscribe(self, run_id: Optional[str]) -> None:
        if run_id is None:
            self.everything, self.runs, self.excluded = True, set(), set()
        else:
            self.runs.add(run_id)
            self.excluded.discard(run_id)

    def unsubscribe(self, run_id: Optional[str]) -> None:
        if run_id is None:
            self.everything, self.runs, self.excluded = False, set(), set()
        else:
            self.runs.discard(run_id)
            if self.everything:
                self.excluded.add(run_id)

    def offer(self, item: Message) -> bool:
        """Queue a message; False (and the client is on its way out) when its queue is full."""
        if self.closing:
            return False
        try:
            self.queue.put_nowait(item)
            return True
        except asyncio.QueueFull:
            self._too_slow()
            return False

    def close_soon(self, last: Optional[Message] = None, grace: float = SLOW_CLOSE_GRACE_S) -> None:
        """Send `last` (if any) after what is queued, close, and drop the socket if that has not happened in `grace`."""
        if self.closing:
            return
        self.closing = True
        for item in (last, CLOSE):
            if item is None:
                continue
            while True:
                try:
                    self.queue.put_nowait(item)
                    break
                except asyncio.QueueFull:
                    self.queue.get_nowait()  # the oldest waiting message gives way to the farewell
        asyncio.get_running_loop().call_later(grace, self.abort)

    def abort(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.abort()

    def _too_slow(self) -> None:
        while not self.queue.empty():  # what it has not read is dropped: it is disconnected anyway
            self.queue.get_nowait()
        self.close_soon(error_message(
            "SLOW_CONSUMER", f"this client fell {self.queue.maxsize} messages behind and is disconnected; "
            "read messages as they come, or subscribe to fewer executions"))


class EventHub:
    def __init__(self, history: RunHistory, queue_size: int = QUEUE_SIZE) -> None:
        self.history = history
        self.queue_size = queue_size
        self.clients: Dict[int, WsClient] = {}
        self.total_messages = 0
        self.running = False
        self._ids: Iterator[int] = itertools.count(1)
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._unsubscribe: Optional[Callable[[], None]] = None
        # Lines each unfinished run has printed so far: a log_entry's `line`. Counted on the producing
        # thread, in the order the history published them.
        self._lines: Dict[str, int] = {}
        self._lines_lock = threading.Lock()

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._unsubscribe = self.history.bus.subscribe(self._on_event)
        self.running = True

    async def close(self) -> None:
        """Shutdown: every client is told and disconnected."""
        self.running = False
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for client in list(self.clients.values()):
            client.close_soon(grace=1.0)
        for client in list(self.clients.values()):
            await client.ws.close(code=1001, message=b"the bridge is shutting down")

    # --- clients ---------------------------------------------------------------------------------

    def connect(self, ws: web.WebSocketResponse, transport: Optional[asyncio.Transport]) -> WsClient:
        client = WsClient(next(self._ids), ws, transport, self.queue_size)
        self.clients[client.id] = client
        client.offer(message("connection_established", {
            "client_id": client.id, "server_time": now_iso(),
            "connected_clients": len(self.clients), "subscribed": ALL,
        }))
        return client

    def disconnect(self, client: WsClient) -> None:
        self.clients.pop(client.id, None)

    async def write(self, client: WsClient) -> None:
        """Send a client's messages in order until it is closed; the only task that writes to its socket."""
        while True:
            item = await client.queue.get()
            if isinstance(item, _Close):
                await client.ws.close(code=1008, message=b"closed by the bridge")
                return
            await client.ws.send_str(orjson.dumps(item).decode())
            self.total_messages += 1

    def command(self, client: WsClient, text: str) -> None:
        """A client's message: subscribe, unsubscribe, get_status (and ping). Anything else gets an `error`."""
        try:
            parsed: Any = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            client.offer(error_message("INVALID_MESSAGE", f"the message is not JSON ({exc}); send "
                                       '{"type": "subscribe", "data": {"execution_id": "..."}}'))
            return
        kind = parsed.get("type") if isinstance(parsed, dict) else None
        data = parsed.get("data") if isinstance(parsed, dict) else None
        if data is None:
            data = {}
        run_id = data.get("execution_id") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not (run_id is None or isinstance(run_id, str)):
            client.offer(error_message("INVALID_MESSAGE", "`data` must be an object whose `execution_id`, when "
                                       "given, is a string"))
            return
        target = None if run_id in (None, "", ALL) else run_id
        if kind == "subscribe":
            client.subscribe(target)
            client.offer(message("subscribed", {"execution_id": target or ALL}))
        elif kind == "unsubscribe":
            client.unsubscribe(target)
            client.offer(message("unsubscribed", {"execution_id": target or ALL}))
        elif kind == "get_status":
            self._status(client, target)
        elif kind == "ping":
            client.offer(message("pong", {}))
        else:
            client.offer(error_message(
                "INVALID_MESSAGE", f"unknown message type {str(kind)[:60]!r}; send subscribe, unsubscribe, "
                "get_status or ping, as {\"type\": ..., \"data\": {\"execution_id\": ...}}", run_id))

    def _status(self, client: WsClient, run_id: Optional[str]) -> None:
        if run_id is None:
            client.offer(error_message("INVALID_MESSAGE", "get_status needs data.execution_id"))
            return
        record = self.history.get(run_id)
        if record is None:
            client.offer(error_message("EXECUTION_NOT_FOUND", f"Execution '{run_id}' not found", run_id))
            return
        client.offer(message("status", {"execution_id": run_id,
                                        "execution": execution_out(record.run).model_dump(mode="json")}))

    # --- events ----------------------------------------------------------------------------------

    def _on_event(self, event: RunEvent) -> None:
        """Any thread: count lines, and hand the event to the loop only when someone is watching."""
        first_line = self._count_lines(event)
        loop = self._loop
        if not self.clients or loop is None:
            return
        try:
            loop.call_soon_threadsafe(self._dispatch, event, first_line)
        except RuntimeError:  # the loop has closed: the bridge is stopping
            pass

    def _count_lines(self, event: RunEvent) -> int:
        with self._lines_lock:
            if isinstance(event, OutputAdded):
                first = self._lines.get(event.run_id, 0)
                self._lines[event.run_id] = first + len(event.lines)
                return first
            if (isinstance(event, RunChanged) and event.change is Change.FINISHED) or isinstance(event, RunDeleted):
                self._lines.pop(run_id_of(event) or "", None)
        return 0

    def _dispatch(self, event: RunEvent, first_line: int) -> None:
        run_id = run_id_of(event)
        watching = [client for client in self.clients.values() if client.wants(run_id)]
        if not watching:
            return
        for item in messages_for(event, first_line):
            for client in watching:
                client.offer(item)
