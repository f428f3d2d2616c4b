"""/api/executions: every run of every kind as the seed 003 execution; commands started here."""
from __future__ import annotations

from typing import Annotated, Any, Dict, List, Optional

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ...commands import CommandRequest, InvalidCommand
from ...runs import RunKind, RunQuery, RunRecord, RunStatus
from ...runs.control import CannotCancel
from ...runs.settings import HistorySettings
from .. import state
from ..errors import ApiError
from ..http import QueryInt, durable, parse_body, parse_path, parse_query, requester
from ..openapi import RouteTable
from .envelope import Envelope, MonitorErrorReply, ok
from .keys import COMMAND_RUNNER
from .shapes import (
    ArtifactOut,
    ExecutionOut,
    LogEntryOut,
    RunKindName,
    RunStatusName,
    StepOut,
    artifact_out,
    execution_out,
    log_entry_out,
    step_out,
)

table = RouteTable("monitor")
# The document states the default limit; a configured history.command_timeout is checked by the runner.
MAX_COMMAND_TIMEOUT_S: float = HistorySettings.model_fields["command_timeout"].default
Tag = Annotated[str, Field(min_length=1, max_length=100)]
EnvName = Annotated[str, Field(min_length=1, max_length=1000, pattern=r"^[^=\x00]+$")]


def names_and_strings(schema: Dict[str, Any]) -> None:
    """Every key is a name and every value a string. pydantic states the name's pattern as patternProperties,
    which leaves any other key free to hold anything: a client generating from the document would send them."""
    pattern = next(iter(schema.pop("patternProperties", {})), None)
    if pattern is not None:
        schema["propertyNames"] = {**schema.get("propertyNames", {}), "pattern": pattern}
    schema["additionalProperties"] = {"type": "string"}


class ExecutionQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: QueryInt = Field(100, ge=1, le=1000, description="page size")
    offset: QueryInt = Field(0, ge=0, le=1_000_000, description="executions to skip")
    status: Optional[RunStatusName] = Field(None, description="only runs with this status")
    user: Optional[str] = Field(None, min_length=1, max_length=200, description="only runs of this user")
    kind: Optional[RunKindName] = Field(None, description="only runs of this kind")
    tag: Optional[str] = Field(None, min_length=1, max_length=100, description="only runs with this tag")
    text: Optional[str] = Field(None, min_length=1, max_length=200,
                                description="only runs whose name or command contains this (ASCII letters in "
                                            "any case), or whose id starts with it")


class ExecutionPath(BaseModel):
    id: str = Field(min_length=1, max_length=200, description="the execution (run) id")


class CreateExecutionRequest(BaseModel):
    """A command to run as a subprocess in the project directory (or one of history.command_directories)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    name: Optional[str] = Field(None, max_length=200, description="a label for the history")
    command: str = Field(min_length=1, max_length=100_000, pattern=r"\S",
                         description="program and arguments, split like a POSIX shell would (no shell runs "
                                     "unless `shell` is true)")
    working_directory: Optional[str] = Field(None, max_length=4096,
                                             description="relative to the project directory, or absolute below it")
    environment: Dict[EnvName, str] = Field(default_factory=dict, description="merged over the server's",
                                            json_schema_extra=names_and_strings)
    tags: List[Tag] = Field(default_factory=list, max_length=50)
    metadata: Dict[str, Any] = Field(default_factory=dict)
    shell: bool = Field(False, description="run `command` with /bin/sh -c (cmd /c on Windows)")
    timeout: Optional[float] = Field(None, gt=0, le=MAX_COMMAND_TIMEOUT_S,
                                     description="seconds of wall time (default and most: history.command_timeout)")


class ExecutionList(BaseModel):
    executions: List[ExecutionOut]
    total_count: int
    has_more: bool


class ExecutionDetail(BaseModel):
    execution: ExecutionOut
    steps: List[StepOut]
    artifacts: List[ArtifactOut]


class ExecutionCreated(BaseModel):
    execution_id: str
    status: RunStatusName
    created_at: str


class ExecutionOutput(BaseModel):
    """What a run printed (`output`, as written) and its log lines: the bridge's own, beside the seed."""

    execution_id: str
    status: RunStatusName
    output: str
    output_truncated: bool
    logs: List[LogEntryOut]
    logs_dropped: int


class Message(BaseModel):
    message: str


class ExecutionListReply(Envelope[ExecutionList]):
    pass


class ExecutionDetailReply(Envelope[ExecutionDetail]):
    pass


class ExecutionCreatedReply(Envelope[ExecutionCreated]):
    pass


class ExecutionOutputReply(Envelope[ExecutionOutput]):
    pass


class MessageReply(Envelope[Message]):
    pass


def execution_not_found(run_id: str) -> ApiError:
    return ApiError(404, "EXECUTION_NOT_FOUND", f"Execution '{run_id}' not found (GET /api/executions lists them)")


def find_record(request: web.Request) -> RunRecord:
    run_id = parse_path(request, ExecutionPath).id
    record = request.app[state.HISTORY].get(run_id)
    if record is None:
        raise execution_not_found(run_id)
    return record


@table.route("GET", "/api/executions", summary="Runs of every kind, newest first (seed 003)",
             query=ExecutionQuery, responses={200: ExecutionListReply, 400: MonitorErrorReply})
async def list_executions(request: web.Request) -> web.Response:
    query = parse_query(request, ExecutionQuery)
    page = request.app[state.HISTORY].list(RunQuery(
        limit=query.limit, offset=query.offset, user=query.user, tag=query.tag, text=query.text,
        status=None if query.status is None else RunStatus(query.status),
        kind=None if query.kind is None else RunKind(query.kind),
    ))
    data = ExecutionList(executions=[execution_out(run) for run in page.items], total_count=page.total_count,
                         has_more=page.has_more)
    return ok(ExecutionListReply(data=data))


@table.route("GET", "/api/executions/{id}", summary="One execution with its steps and artifacts",
             path_params=ExecutionPath, responses={200: ExecutionDetailReply, 404: MonitorErrorReply})
async def get_execution(request: web.Request) -> web.Response:
    record = find_record(request)
    files = request.app.get(state.ARTIFACT_FILES)
    data = ExecutionDetail(
        execution=execution_out(record.run), steps=[step_out(step) for step in record.steps],
        artifacts=[artifact_out(artifact, files) for artifact in record.artifacts],
    )
    return ok(ExecutionDetailReply(data=data))


@table.route("GET", "/api/executions/{id}/output", summary="What an execution printed, and its log lines",
             path_params=ExecutionPath, responses={200: ExecutionOutputReply, 404: MonitorErrorReply})
async def get_output(request: web.Request) -> web.Response:
    record = find_record(request)
    run = record.run
    data = ExecutionOutput(
        execution_id=run.id, status=run.status.value, output=record.output, output_truncated=run.output_truncated,
        logs=[log_entry_out(entry) for entry in record.logs], logs_dropped=run.logs_dropped,
    )
    return ok(ExecutionOutputReply(data=data))


@table.route("POST", "/api/executions", summary="Run a command as a subprocess, recorded in the history",
             body=CreateExecutionRequest, responses={201: ExecutionCreatedReply, 400: MonitorErrorReply})
async def create_execution(request: web.Request) -> web.Response:
    body = await parse_body(request, CreateExecutionRequest)
    command = CommandRequest(
        command=body.command, name=body.name, working_directory=body.working_directory,
        environment=dict(body.environment), tags=tuple(body.tags), metadata=dict(body.metadata),
        shell=body.shell, timeout=body.timeout, user=requester(request),
    )
    try:
        run = await request.app[COMMAND_RUNNER].start(command)
    except InvalidCommand as exc:
        raise ApiError(400, "INVALID_COMMAND", str(exc)) from None
    await durable(request.app[state.HISTORY])
    data = ExecutionCreated(execution_id=run.id, status=run.status.value, created_at=execution_out(run).created_at)
    return ok(ExecutionCreatedReply(data=data), 201)


@table.route("DELETE", "/api/executions/{id}", summary="Delete an execution (a running one is cancelled first)",
             path_params=ExecutionPath, responses={200: MessageReply, 404: MonitorErrorReply, 409: MonitorErrorReply})
async def delete_execution(request: web.Request) -> web.Response:
    record = find_record(request)
    run = record.run
    history = request.app[state.HISTORY]
    if not run.status.finished:
        try:
            stopped = await request.app[state.RUN_CONTROL].cancel(run)
        except CannotCancel as exc:
            raise ApiError(409, "CANNOT_CANCEL", f"execution {run.id} is {run.status.value} and cannot be cancelled "
                           f"here ({exc}); wait for it to end, then delete it") from None
        if not stopped:
            raise ApiError(409, "STILL_RUNNING", f"execution {run.id} was asked to stop but is still stopping "
                           "(inside a native call?); delete it again once it has ended")
    record = history.get(run.id) or record  # artifacts it stored while it was stopping
    files = request.app.get(state.ARTIFACT_FILES)
    if files is not None:
        for artifact in record.artifacts:  # their files go too, unless another artifact holds the same bytes
            files.delete(history, artifact)
    try:
        deleted = history.delete(run.id)
    except ValueError as exc:  # it started again? a run id is never reused, so only a race with cancel
        raise ApiError(409, "STILL_RUNNING", str(exc)) from None
    if not deleted:  # another request deleted it meanwhile
        raise execution_not_found(run.id)
    return ok(MessageReply(data=Message(message="Execution deleted successfully")))
