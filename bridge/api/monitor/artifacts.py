"""/api/artifacts: the files runs produced; list, details, download, upload, delete (seed 003)."""
from __future__ import annotations

import asyncio
import functools
import urllib.parse
from typing import List, Optional

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ...runs import Artifact, ArtifactQuery, ArtifactType, RunNotFound
from ...runs.artifacts import ArtifactFiles, safe_file_name
from ...runs.errors import ArtifactTooLarge
from .. import state
from ..errors import ApiError
from ..http import QueryInt, parse_path, parse_query
from ..openapi import RouteTable
from .envelope import Envelope, MonitorErrorReply, ok
from .executions import Message, MessageReply, execution_not_found
from .shapes import ArtifactOut, ArtifactTypeName, artifact_out
from .upload import ArtifactUploadForm, receive_upload

table = RouteTable("monitor")


class ArtifactListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    execution_id: Optional[str] = Field(None, min_length=1, max_length=200, description="only this run's")
    step_id: Optional[str] = Field(None, min_length=1, max_length=200, description="only this step's")
    artifact_type: Optional[ArtifactTypeName] = Field(None, description="only this type")
    limit: QueryInt = Field(100, ge=1, le=1000, description="page size")
    offset: QueryInt = Field(0, ge=0, le=1_000_000, description="artifacts to skip")


class ArtifactPath(BaseModel):
    id: str = Field(min_length=1, max_length=200, description="the artifact id")


class ArtifactList(BaseModel):
    artifacts: List[ArtifactOut]
    total_count: int
    has_more: bool


class ArtifactListReply(Envelope[ArtifactList]):
    pass


class ArtifactReply(Envelope[ArtifactOut]):
    pass


def artifact_files(app: web.Application) -> ArtifactFiles:
    files = app.get(state.ARTIFACT_FILES)
    if files is None:
        raise ApiError(503, "ARTIFACTS_UNAVAILABLE", "this bridge keeps no artifact files (no data directory)")
    return files


def find_artifact(request: web.Request) -> Artifact:
    artifact_id = parse_path(request, ArtifactPath).id
    artifact = request.app[state.HISTORY].artifact(artifact_id)
    if artifact is None:
        raise ApiError(404, "ARTIFACT_NOT_FOUND", f"Artifact '{artifact_id}' not found (GET /api/artifacts lists them)")
    return artifact


def content_disposition(file_name: str) -> str:
    """`attachment` with an ASCII `filename` for old clients and the exact name as RFC 6266 `filename*`."""
    name = safe_file_name(file_name)  # no quotes, backslashes, separators or controls
    fallback = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(name, safe='')}"


@table.route("GET", "/api/artifacts", summary="Artifacts, newest first, by execution, step or type",
             query=ArtifactListQuery, responses={200: ArtifactListReply, 400: MonitorErrorReply})
async def list_artifacts(request: web.Request) -> web.Response:
    query = parse_query(request, ArtifactListQuery)
    page = request.app[state.HISTORY].artifacts(ArtifactQuery(
        limit=query.limit, offset=query.offset, run_id=query.execution_id, step_id=query.step_id,
        artifact_type=None if query.artifact_type is None else ArtifactType(query.artifact_type),
    ))
    files = request.app.get(state.ARTIFACT_FILES)
    data = ArtifactList(artifacts=[artifact_out(a, files) for a in page.items], total_count=page.total_count,
                        has_more=page.has_more)
    return ok(ArtifactListReply(data=data))


@table.route("GET", "/api/artifacts/{id}", summary="One artifact", path_params=ArtifactPath,
             responses={200: ArtifactReply, 404: MonitorErrorReply})
async def get_artifact(request: web.Request) -> web.Response:
    return ok(ArtifactReply(data=artifact_out(find_artifact(request), request.app.get(state.ARTIFACT_FILES))))


@table.route("GET", "/api/artifacts/{id}/download", summary="The artifact's file, as an attachment",
             path_params=ArtifactPath, responses={200: None, 404: MonitorErrorReply},
             content_type="*/*")
async def download_artifact(request: web.Request) -> web.StreamResponse:
    artifact = find_artifact(request)
    path = artifact_files(request.app).path_of(artifact)
    if not path.is_file():
        raise ApiError(404, "ARTIFACT_FILE_MISSING", f"the file of artifact '{artifact.id}' is gone from the data "
                       "directory (removed by hand?); delete the artifact or upload it again")
    return web.FileResponse(path, headers={
        "Content-Type": artifact.mime_type,
        "Content-Disposition": content_disposition(artifact.file_name),
        # The bytes are whatever a run or a client stored: never sniffed, never run as a page of this origin.
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
    })


@table.route("POST", "/api/artifacts", summary="Upload a file as an artifact of an execution (multipart/form-data)",
             body=ArtifactUploadForm, body_content_type="multipart/form-data",
             responses={201: ArtifactReply, 400: MonitorErrorReply, 404: MonitorErrorReply, 413: MonitorErrorReply})
async def upload_artifact(request: web.Request) -> web.Response:
    files = artifact_files(request.app)
    history = request.app[state.HISTORY]
    upload = await receive_upload(request, files, request.app[state.SETTINGS].body_timeout_seconds)
    try:
        fields = upload.fields
        record = history.get(fields.execution_id)
        if record is None:
            raise execution_not_found(fields.execution_id)
        if fields.step_id is not None and all(step.id != fields.step_id for step in record.steps):
            raise ApiError(404, "STEP_NOT_FOUND", f"execution {fields.execution_id} has no step '{fields.step_id}' "
                           f"(GET /api/executions/{fields.execution_id} lists its steps)")
        store = functools.partial(
            files.store, history, fields.execution_id, upload.path, name=fields.name,
            file_name=upload.file_name or fields.name, description=fields.description, tags=tuple(fields.tags),
            step_id=fields.step_id, mime_type=upload.mime_type,
            artifact_type=None if fields.artifact_type is None else ArtifactType(fields.artifact_type),
        )
        try:
            artifact = await asyncio.get_running_loop().run_in_executor(None, store)  # hashing and copying
        except ArtifactTooLarge as exc:
            raise ApiError(413, "ARTIFACT_TOO_LARGE", str(exc)) from None
        except RunNotFound:
            raise execution_not_found(fields.execution_id) from None
    finally:
        upload.path.unlink(missing_ok=True)
    return ok(ArtifactReply(data=artifact_out(artifact, files)), 201)


@table.route("DELETE", "/api/artifacts/{id}", summary="Delete an artifact and, unless shared, its file",
             path_params=ArtifactPath, responses={200: MessageReply, 404: MonitorErrorReply})
async def delete_artifact(request: web.Request) -> web.Response:
    artifact = find_artifact(request)
    artifact_files(request.app).delete(request.app[state.HISTORY], artifact)
    return ok(MessageReply(data=Message(message="Artifact deleted successfully")))
