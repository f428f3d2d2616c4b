"""Socket.IO on the same aiohttp app (path /socket.io/): streaming execute with live input, and rooms."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Optional
from urllib.parse import parse_qs

import orjson
import socketio
from aiohttp import web

from ..editor.sessions import SESSION_ID_PATTERN
from ..trace import SessionStore, TraceRunError, TraceRunner
from .http import requester
from .recording import RunCancelled, TraceRecorder

log = logging.getLogger(__name__)
ROOM_ID = re.compile(SESSION_ID_PATTERN)  # rooms are named like sessions


@dataclass
class Client:
    """What the server remembers about one connection."""

    session_id: Optional[str]
    streaming: bool
    user: str = "local"
    run: Optional[asyncio.Task[None]] = None
    pending_input: Optional[asyncio.Future[str]] = None


def error_message(code: str, message: str) -> Dict[str, Any]:
    """A `message` event reporting a failure."""
    return {"type": "error", "success": False, "error_code": code, "error": message}


class TraceSocket:
    """The Socket.IO event handlers; one instance per app."""

    def __init__(self, sio: socketio.AsyncServer, runner: TraceRunner, sessions: SessionStore,
                 recorder: TraceRecorder):
        self.sio = sio
        self.runner = runner
        self.sessions = sessions
        self.recorder = recorder
        self.clients: Dict[str, Client] = {}
        for event in ("connect", "disconnect", "execute", "input", "join_room", "leave_room", "broadcast"):
            sio.on(event, getattr(self, "on_" + event))

    async def on_connect(self, sid: str, environ: Dict[str, Any], auth: Any = None) -> None:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        session_id = (query.get("session_id") or [None])[0]
        if session_id is not None and not ROOM_ID.match(session_id):
            raise socketio.exceptions.ConnectionRefusedError(f"session_id must match {ROOM_ID.pattern}")
        streaming = (query.get("streaming") or ["true"])[0].lower() not in ("false", "0", "no")
        request = environ.get("aiohttp.request")
        user = requester(request) if isinstance(request, web.Request) else "local"
        self.clients[sid] = Client(session_id, streaming, user)

    async def on_disconnect(self, sid: str, *args: Any) -> None:
        client = self.clients.pop(sid, None)
        if client is not None and client.run is not None:
            client.run.cancel()  # kills the worker

    async def on_execute(self, sid: str, data: Any) -> None:
        client = self.clients.get(sid)
        if client is None:
            return
        if client.run is not None and not client.run.done():
            await self.send(sid, error_message("BUSY", "a program is already running on this connection; "
                                               "wait for its `complete` message"))
            return
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            await self.send(sid, error_message("MISSING_FIELD", "Missing required field: code"))
            return
        client.run = asyncio.ensure_future(self._run(sid, client, data))

    async def _run(self, sid: str, client: Client, data: Dict[str, Any]) -> None:
        code = data["code"]
        user_input = data.get("user_input") or ""
        max_steps = data.get("max_steps")

        async def on_step(step: bytes) -> None:
            if client.streaming:
                await self.send(sid, {"type": "step", "data": orjson.loads(step)})

        async def ask(prompt: str) -> Optional[str]:
            client.pending_input = asyncio.get_running_loop().create_future()
            await self.send(sid, {"type": "input_request", "prompt": prompt})
            try:
                return await client.pending_input
            finally:
                client.pending_input = None

        session = (self.sessions.open_or_create(client.session_id) if client.session_id
                   else self.sessions.open(None))
        try:
            steps = self.runner.check(code, max_steps if isinstance(max_steps, int) else None)
        except TraceRunError as exc:
            await self.send(sid, error_message(exc.code, str(exc)))
            return
        with self.recorder.begin_trace(code, session_id=session.session_id, transport="socketio", traced=True,
                                       max_steps=steps, user=client.user) as run:
            try:
                outcome = await run.run(self.runner.run(code, user_input, max_steps=steps, on_step=on_step,
                                                        ask=ask))
            except RunCancelled as exc:
                await self.send(sid, error_message("RUN_CANCELLED", str(exc)))
                return
            except TraceRunError as exc:
                run.fail(exc)
                await self.send(sid, error_message(exc.code, str(exc)))
                return
            except Exception as exc:  # nobody awaits this task: report here or the failure is silent
                run.fail(exc)
                log.exception("trace run for Socket.IO client %s failed", sid)
                with contextlib.suppress(Exception):
                    await self.send(sid, error_message("INTERNAL_ERROR", "the run failed inside the bridge; "
                                                       "the server log has the traceback"))
                return
            self.recorder.end_trace(run, outcome)
        self.sessions.record(session, code, user_input, outcome)
        client.session_id = session.session_id
        reply = session.reply(with_steps=False)
        if not client.streaming:
            reply["steps"] = outcome.steps
        reply.update(type="complete", success=outcome.status == "completed")
        await self.send(sid, reply)

    async def on_input(self, sid: str, data: Any) -> None:
        client = self.clients.get(sid)
        if client is None or client.pending_input is None or client.pending_input.done():
            await self.send(sid, error_message("NOT_WAITING", "no program here waits for input"))
            return
        value = data.get("value") if isinstance(data, dict) else data
        client.pending_input.set_result("" if value is None else str(value))

    async def on_join_room(self, sid: str, data: Any) -> Dict[str, Any]:
        return await self._change_room(sid, data, self.sio.enter_room)

    async def on_leave_room(self, sid: str, data: Any) -> Dict[str, Any]:
        return await self._change_room(sid, data, self.sio.leave_room)

    async def _change_room(
        self, sid: str, data: Any, change: Callable[[str, str], Awaitable[None]]
    ) -> Dict[str, Any]:
        room_id = self._room(data)
        if room_id is None:
            return error_message("INVALID_REQUEST", "room_id must be 1-128 of A-Z a-z 0-9 _ . : -")
        await change(sid, room_id)
        return {"success": True, "room_id": room_id}

    async def on_broadcast(self, sid: str, data: Any) -> Dict[str, Any]:
        room_id = self._room(data)
        if room_id is None or room_id not in self.sio.rooms(sid):
            reply = error_message("NOT_IN_ROOM", "join the room with `join_room` before broadcasting to it")
            await self.send(sid, reply)
            return reply
        message = {"type": "broadcast", "room_id": room_id, "data": data.get("data"), "from": sid}
        await self.sio.emit("message", message, room=room_id, skip_sid=sid)
        return {"success": True, "room_id": room_id}

    @staticmethod
    def _room(data: Any) -> Optional[str]:
        room_id = data.get("room_id") if isinstance(data, dict) else None
        return room_id if isinstance(room_id, str) and ROOM_ID.match(room_id) else None

    async def send(self, sid: str, message: Dict[str, Any]) -> None:
        """Emit one `message` event to one client."""
        await self.sio.emit("message", message, to=sid)

    async def close(self) -> None:
        """Stop every running program."""
        await self.recorder.shutdown()  # first, so the history says why they stopped
        runs = [c.run for c in self.clients.values() if c.run is not None]
        for run in runs:
            run.cancel()
        await asyncio.gather(*runs, return_exceptions=True)


async def _stop_engineio_pings() -> None:
    # engine.io leaves each closed socket's ping task asleep for up to ping_interval; cancel them so the
    # server loop can close without "Task was destroyed but it is pending".
    current = asyncio.current_task()
    pings = [t for t in asyncio.all_tasks() if t is not current
             and getattr(t.get_coro(), "__qualname__", "") == "AsyncSocket._send_ping"]
    for task in pings:
        task.cancel()
    await asyncio.gather(*pings, return_exceptions=True)


def setup(app: web.Application, runner: TraceRunner, sessions: SessionStore, recorder: TraceRecorder) -> None:
    """Attach a Socket.IO server to the app; who may connect is decided by the bridge's security policy."""
    # The bridge's middleware runs for /socket.io/ too (polling and the WebSocket upgrade) and applies the
    # one Origin rule (allow-list plus same origin) and its CORS headers. Engine.IO's own check differs: a
    # list there drops same origin, and its same-origin default trusts X-Forwarded-Host. `[]` turns it off.
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[])
    sio.attach(app, socketio_path="socket.io")
    handlers = TraceSocket(sio, runner, sessions, recorder)

    async def lifecycle(app: web.Application) -> Any:
        yield
        await handlers.close()
        await sio.shutdown()
        await _stop_engineio_pings()

    app.cleanup_ctx.append(lifecycle)
