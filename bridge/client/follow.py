"""`ue-bridge run ID --follow`: a run's output live over /api/ws, until it ends."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, Optional, TextIO

import aiohttp

from .bridge_client import BridgeClient, BridgeError
from .runs import exit_status

FINISHED = ("completed", "failed", "cancelled")
POLL_S = 0.5


def follow_run(client: BridgeClient, run_id: str, out: TextIO, err: TextIO) -> int:
    """Print what the run printed so far, then each line as it comes; the exit status says how it ended."""
    try:
        return asyncio.run(_follow(client, run_id, out, err))
    except KeyboardInterrupt:
        err.write(f"ue-bridge: stopped following; run {run_id} goes on\n")
        return 130


async def _follow(client: BridgeClient, run_id: str, out: TextIO, err: TextIO) -> int:
    loop = asyncio.get_running_loop()
    url = client.target.url.replace("http", "ws", 1) + "/api/ws"
    headers = {"Authorization": f"Bearer {client.target.token}"} if client.target.token else {}
    try:
        # The bridge is on loopback: no proxy from the environment (trust_env=False).
        async with aiohttp.ClientSession(trust_env=False) as session, \
                session.ws_connect(url, headers=headers, heartbeat=30.0) as ws:
            await _subscribe(ws, run_id)
            # Subscribed first, then the output so far: a line printed meanwhile comes in both, and its
            # `line` number tells which lines are already shown.
            snapshot = await loop.run_in_executor(None, client.execution_output, run_id)
            text = str(snapshot["output"])
            if snapshot["status"] in FINISHED:
                _write(out, text)
                return await _ended(client, run_id, err)
            complete = text[: text.rfind("\n") + 1]
            _write(out, complete)
            shown = complete.count("\n")
            ended = await _stream(ws, run_id, shown, out, err)
    except aiohttp.WSServerHandshakeError as exc:
        raise BridgeError(f"the bridge refused the WebSocket /api/ws: HTTP {exc.status} {exc.message}") from None
    except aiohttp.ClientError as exc:
        raise BridgeError(f"cannot follow run {run_id} over {url}: {exc}") from None
    if ended is None:  # the connection went (a slow terminal, a restart): the end comes from polling
        err.write(f"ue-bridge: lost the live output of run {run_id}; waiting for it to end\n")
    return await _ended(client, run_id, err)


async def _subscribe(ws: aiohttp.ClientWebSocketResponse, run_id: str) -> None:
    await ws.send_json({"type": "unsubscribe", "data": {}})  # a new client gets every run: only this one
    await ws.send_json({"type": "subscribe", "data": {"execution_id": run_id}})
    async for message in ws:
        if message.type is not aiohttp.WSMsgType.TEXT:
            break
        data = message.json()
        if data.get("type") == "subscribed" and data["data"].get("execution_id") == run_id:
            return
    raise BridgeError("the bridge closed the WebSocket before confirming the subscription")


async def _stream(ws: aiohttp.ClientWebSocketResponse, run_id: str, shown: int, out: TextIO,
                  err: TextIO) -> Optional[Dict[str, Any]]:
    """Lines until `execution_completed` (returned); None when the socket closes first."""
    async for message in ws:
        if message.type is not aiohttp.WSMsgType.TEXT:
            break
        event = message.json()
        data = event.get("data") or {}
        if data.get("execution_id") != run_id:
            continue
        kind = event.get("type")
        if kind == "log_entry" and data.get("line") is not None:
            if data["line"] >= shown:  # not in the output read before
                _write(err if data.get("stream") == "stderr" else out, f"{data['content']}\n")
                shown = data["line"] + 1
        elif kind == "execution_completed":
            return dict(data)
    return None


async def _ended(client: BridgeClient, run_id: str, err: TextIO) -> int:
    loop = asyncio.get_running_loop()
    while True:
        run = (await loop.run_in_executor(None, client.execution, run_id))["execution"]
        if run["status"] in FINISHED:
            break
        await asyncio.sleep(POLL_S)
    if run["status"] != "completed":
        reason = f" ({run['stop_reason']})" if run.get("stop_reason") else ""
        err.write(f"ue-bridge: run {run_id} {run['status']}{reason}: {run.get('error_message') or 'no message'}\n")
    return exit_status(run["status"])


def _write(stream: TextIO, text: str) -> None:
    if text:
        stream.write(text)
        stream.flush()
