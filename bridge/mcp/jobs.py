"""An editor job from a tool call: start it, wait for it with progress, cancel it if the call is cancelled."""
from __future__ import annotations

import asyncio
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional

import anyio
import mcp_types as types

from ..client.bridge_client import BridgeClient, BridgeError
from .editors import Editors
from .progress import FINISHED, HEARTBEAT_S, Progress, RunEvents, follow
from .render import job_text, still_going_text

START_TIMEOUT_S = 30.0
CANCEL_TIMEOUT_S = 10.0
REPLY_MARGIN_S = 30.0


def reply(text: str, structured: Optional[Dict[str, Any]] = None, *, failed: bool = False) -> types.CallToolResult:
    """A tool's answer: readable text for the model, the same as structured content for programs."""
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)],
                                structured_content=structured, is_error=failed)


async def run_job(editors: Editors, start: Callable[[BridgeClient], Awaitable[Dict[str, Any]]], wait: float,
                  progress: Progress) -> types.CallToolResult:
    """Start a job with `start` (its 202 reply), wait up to `wait` seconds, answer how it ended or that it goes on."""
    client = await editors.client()
    events = editors.events
    live = await events.start()  # before the job exists, so its end cannot pass unseen
    # Shielded: a call cancelled while the job is being started still learns the job's id, and cancels it.
    with anyio.CancelScope(shield=True), anyio.fail_after(START_TIMEOUT_S):
        accepted = await start(client)
    job_id = str(accepted["job_id"])
    try:
        status = await follow(client, events, job_id, wait, progress, live=live)
    except anyio.get_cancelled_exc_class():
        with anyio.CancelScope(shield=True), anyio.move_on_after(CANCEL_TIMEOUT_S):
            await cancel_quietly(client, job_id)
        raise
    if status not in FINISHED:
        return reply(still_going_text(job_id, status, wait),
                     {"job_id": job_id, "status": status, "finished": False, "wait": wait})
    job = await client.job_async(job_id)
    return reply(job_text(job), {**job, "job_id": job_id, "finished": True}, failed=status != "completed")


async def run_python(editors: Editors, body: Dict[str, Any], wait: float, progress: Progress) -> types.CallToolResult:
    """Editor Python in one round trip: the bridge's sync reply when it comes within `wait`, else the job id.

    The run is named `mcp:<random>` so its id can be known before the reply (from its start event, or the
    history) for progress, for a cancelled call, and for a reply still to come when the wait is over.
    """
    client = await editors.client()
    events = editors.events
    name = f"mcp:{uuid.uuid4().hex[:12]}"
    await events.start()
    posting = asyncio.ensure_future(client.request_async(
        "POST", "/api/v1/python/execute", {**body, "name": name}, timeout=wait + REPLY_MARGIN_S))
    try:
        with events.watch(name=name) as queue:
            answered = await _answer_within(client, events, name, posting, queue, wait, progress)
    except anyio.get_cancelled_exc_class():
        with anyio.CancelScope(shield=True), anyio.move_on_after(CANCEL_TIMEOUT_S):
            await _stop(client, events, name, posting)
        raise
    finally:
        if not posting.done():
            posting.cancel()  # the wait is over: the job goes on in the editor without this request
    if answered is None:
        job_id = await _find(client, events, name)
        return reply(still_going_text(job_id or name, "running", wait),
                     {"job_id": job_id, "name": name, "status": "running", "finished": False, "wait": wait})
    status, job = answered
    if status == 202:  # the bridge's own wait passed: still queued, or stopping inside a native call
        return reply(f"{job.get('message')}", {**job, "finished": False})
    return reply(job_text({**job, "id": job["job_id"]}), {**job, "finished": True},
                 failed=job["status"] != "completed")


async def _answer_within(client: BridgeClient, events: RunEvents, name: str, posting: asyncio.Future[Any],
                         queue: asyncio.Queue[Dict[str, Any]], wait: float, progress: Progress) -> Any:
    """The POST's (status, reply), or None when `wait` passes first; progress from the run's events meanwhile."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        remaining = deadline - loop.time()
        if remaining <= 0:
            return None
        getting = asyncio.ensure_future(queue.get())
        done, _ = await asyncio.wait({posting, getting}, timeout=min(remaining, HEARTBEAT_S),
                                     return_when=asyncio.FIRST_COMPLETED)
        if getting not in done:
            getting.cancel()
        if posting in done:
            return posting.result()
        if getting in done:
            await progress.event(getting.result())
        else:
            job_id = events.named(name)
            if job_id is not None:
                await progress.heartbeat((await client.execution_async(job_id))["execution"])


async def _find(client: BridgeClient, events: RunEvents, name: str) -> Optional[str]:
    """The id of the run called `name`: from its start event, else from the history."""
    known = events.named(name)
    if known is not None:
        return known
    page = await client.executions_async({"text": name, "kind": "editor", "limit": "1"})
    found = [run["id"] for run in page["executions"] if run.get("name") == name]
    return found[0] if found else None


async def _stop(client: BridgeClient, events: RunEvents, name: str, posting: asyncio.Future[Any]) -> None:
    """Cancel the job of a cancelled call; it may not exist yet, while its request is on its way."""
    while True:
        job_id = await _find(client, events, name)
        if job_id is not None:
            await cancel_quietly(client, job_id)
            return
        if posting.done():
            return
        await asyncio.sleep(0.1)


async def cancel_quietly(client: BridgeClient, job_id: str) -> None:
    """The client gave up on the call: stop its job; one that already ended is left as it ended."""
    try:
        await client.cancel_async(job_id)
    except BridgeError:
        pass
