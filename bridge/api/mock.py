"""/api/v1/mock/*: clean state for CI on a headless host: back to the seed, keep and restore named snapshots.

Each call is an editor run on the game thread (the mock's state is the game thread's), so it is queued
behind earlier jobs and recorded in the history like any other. In the Unreal Editor there is nothing to
reset: every route answers 404 and says so.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ..editor.jobs import Job
from ..runs import RunKind, RunStatus
from . import state
from .errors import ApiError
from .http import durable, json_response, parse_body, requester
from .openapi import RouteTable

table = RouteTable("mock")

SNAPSHOT_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class SnapshotRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=SNAPSHOT_NAME, description="letters, digits, `_`, `.` and `-`; at most 64")


class MockStateReply(BaseModel):
    success: bool = True
    job_id: str = Field(description="the editor run that changed the state, in the history")
    seed: Optional[str] = Field(description="the seed file the host started from ('inline' for a dict), or null")
    assets: int = Field(description="assets in the project now")
    actors: int = Field(description="actors in the open level now")
    level: Optional[str] = Field(description="the open map's package name")
    selected_assets: List[str] = Field(description="the Content Browser selection")
    selected_actors: List[str] = Field(description="labels of the selected level actors")
    snapshots: List[str] = Field(description="names of the snapshots kept so far")


def _require_headless(request: web.Request) -> None:
    if not request.app[state.EDITOR_INFO].mock:
        raise ApiError(
            404, "NOT_HEADLESS",
            f"{request.path} exists only on a headless host (mock_unreal): this bridge runs in the Unreal "
            "Editor, whose project it cannot reset or snapshot. For a resettable project in CI, start "
            "`ue-bridge serve --seed project.json`",
        )


async def _run_on_game_thread(request: web.Request, name: str, call: Callable[[], Dict[str, Any]]) -> web.Response:
    runner = request.app[state.RUNNER]
    job = Job(code=name, kind=RunKind.EDITOR, name=name, timeout=request.app[state.SETTINGS].default_timeout,
              call=call)
    runner.submit(job, user=requester(request), tags=["mock"])
    run = await runner.wait(job)
    await durable(runner.history)
    if run.status is RunStatus.COMPLETED:
        return json_response(MockStateReply(job_id=job.id, **run.result))
    if run.error_type == "SnapshotNotFound":
        raise ApiError(404, "SNAPSHOT_NOT_FOUND", run.error_message or "no such snapshot")
    if not run.status.finished:
        raise ApiError(504, "TIMEOUT", f"{name} did not finish within {job.timeout:g} s; "
                                       f"poll GET /api/v1/python/job?id={job.id}")
    raise ApiError(500, "MOCK_STATE_FAILED",
                   f"{name} failed: {run.error_type}: {run.error_message}; the run is {job.id} in the history")


@table.route(
    "POST", "/api/v1/mock/reset", summary="Headless only: return the project to the seed the host started from",
    responses={200: MockStateReply},
)
async def reset(request: web.Request) -> web.Response:
    _require_headless(request)

    def call() -> Dict[str, Any]:
        from mock_unreal.snapshots import reset_to_seed

        return reset_to_seed()

    return await _run_on_game_thread(request, "mock reset", call)


@table.route(
    "POST", "/api/v1/mock/snapshot", summary="Headless only: keep the project as it is now under a name",
    body=SnapshotRequest, responses={200: MockStateReply, 404: None},
)
async def snapshot(request: web.Request) -> web.Response:
    _require_headless(request)
    name = (await parse_body(request, SnapshotRequest)).name

    def call() -> Dict[str, Any]:
        from mock_unreal.snapshots import take_snapshot

        return take_snapshot(name)

    return await _run_on_game_thread(request, f"mock snapshot {name}", call)


@table.route(
    "POST", "/api/v1/mock/restore", summary="Headless only: bring back a snapshot taken earlier",
    body=SnapshotRequest, responses={200: MockStateReply, 404: None},
)
async def restore(request: web.Request) -> web.Response:
    _require_headless(request)
    name = (await parse_body(request, SnapshotRequest)).name

    def call() -> Dict[str, Any]:
        from mock_unreal.snapshots import restore_snapshot

        return restore_snapshot(name)

    return await _run_on_game_thread(request, f"mock restore {name}", call)


def setup(app: web.Application) -> None:
    state.register_routes(app, table)


__all__ = ["setup"]
