"""POST /api/artifacts: a multipart/form-data upload streamed to disk, never held whole in memory."""
from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Awaitable, Dict, List, Optional, TypeVar, Union

import orjson
from aiohttp import BodyPartReader, hdrs, web
from aiohttp.helpers import parse_mimetype
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...runs.artifacts import INCOMING_PREFIX, ArtifactFiles
from ..errors import ApiError, invalid_request, missing_field
from ..http import describe_validation_error
from .shapes import ArtifactTypeName

CHUNK = 256 * 1024
MAX_FIELD_BYTES = 64 * 1024  # a text field: names, descriptions, tags
MAX_PARTS = 200
_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
Tag = Annotated[str, Field(min_length=1, max_length=100)]
T = TypeVar("T")


class UploadFields(BaseModel):
    """The text fields of an upload."""

    model_config = ConfigDict(extra="forbid")

    execution_id: str = Field(min_length=1, max_length=200, description="the run the file belongs to")
    step_id: Optional[str] = Field(None, min_length=1, max_length=200, description="a step of that run")
    name: str = Field(min_length=1, max_length=200, description="what the artifact is, e.g. Output Report")
    description: Optional[str] = Field(None, max_length=2000)
    artifact_type: Optional[ArtifactTypeName] = Field(None, description="default: guessed from the file")
    tags: List[Tag] = Field(default_factory=list, max_length=50,
                            description="repeat the field, or send one field holding a JSON array")


def _form_schema(schema: Dict[str, Any]) -> None:
    """A form has no null: an optional field is one left out."""
    for prop in schema.get("properties", {}).values():
        branches = prop.pop("anyOf", None)
        if branches:
            prop.update(next(branch for branch in branches if branch != {"type": "null"}))
        if "default" in prop and prop["default"] is None:
            del prop["default"]


class ArtifactUploadForm(UploadFields):
    """The multipart/form-data body of POST /api/artifacts."""

    model_config = ConfigDict(json_schema_extra=_form_schema)

    file: bytes = Field(description="the file; its part's filename and Content-Type are kept")


@dataclass
class Upload:
    """A received upload: its fields, and the file waiting on disk."""

    fields: UploadFields
    path: Path
    file_name: Optional[str]
    mime_type: Optional[str]


@dataclass
class _Received:
    values: Dict[str, List[str]] = field(default_factory=dict)
    path: Optional[Path] = None
    file_name: Optional[str] = None
    mime_type: Optional[str] = None


async def receive_upload(request: web.Request, files: ArtifactFiles, idle_timeout: float) -> Upload:
    """Read the form; the caller removes `Upload.path` when done. 400 for a bad form, 413 past the size limit."""
    received = _Received()
    if not parse_mimetype(request.headers.get(hdrs.CONTENT_TYPE, "")).parameters.get("boundary"):
        raise invalid_request("the multipart/form-data Content-Type has no boundary; let the client build the "
                              "form (curl -F name=value -F file=@path)")
    try:
        reader = await _within(request.multipart(), idle_timeout)
        parts = 0
        while True:
            part = await _within(reader.next(), idle_timeout)
            if part is None:
                break
            parts += 1
            if parts > MAX_PARTS or not isinstance(part, BodyPartReader):
                raise invalid_request(f"the form has more than {MAX_PARTS} parts, or a nested multipart part; "
                                      "send each field once (tags may repeat)")
            await _receive_part(part, received, files, idle_timeout)
        return _complete(received)
    except BaseException:
        if received.path is not None:
            received.path.unlink(missing_ok=True)
        raise


async def _receive_part(part: BodyPartReader, received: _Received, files: ArtifactFiles, idle: float) -> None:
    name = part.name or ""
    if name == "file":
        if received.path is not None:
            raise invalid_request("the form has two `file` parts; send one file per upload")
        received.file_name = part.filename
        received.mime_type = _mime(part.headers.get(hdrs.CONTENT_TYPE))
        received.path = _temp_file(files)
        await _stream(part, received.path, files.max_bytes, idle)
        return
    text = await _text(part, name, idle)
    received.values.setdefault(name, []).append(text)


def _temp_file(files: ArtifactFiles) -> Path:
    # Beside the store, under the prefix its sweep removes when a killed process leaves one behind.
    files.root.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=INCOMING_PREFIX + "upload-", dir=files.root)
    os.close(handle)
    return Path(name)


async def _stream(part: BodyPartReader, path: Path, max_bytes: int, idle: float) -> None:
    size = 0
    with path.open("wb") as out:
        while True:
            chunk = await _within(part.read_chunk(CHUNK), idle)
            if not chunk:
                return
            size += len(chunk)
            if size > max_bytes:
                raise ApiError(413, "ARTIFACT_TOO_LARGE", f"the file is larger than the {max_bytes} bytes an "
                               "artifact may have (setting history.artifact_max_bytes)")
            out.write(chunk)


async def _text(part: BodyPartReader, name: str, idle: float) -> str:
    data = bytearray()
    while True:
        chunk = await _within(part.read_chunk(CHUNK), idle)
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_FIELD_BYTES:
            raise invalid_request(f"form field {name or '(unnamed)'} is over {MAX_FIELD_BYTES} bytes; "
                                  "only `file` may be large")
    try:
        return data.decode(part.get_charset("utf-8"))
    except (UnicodeDecodeError, LookupError):
        raise invalid_request(f"form field {name or '(unnamed)'} is not valid UTF-8 text") from None


async def _within(step: Awaitable[T], idle: float) -> T:
    try:
        return await asyncio.wait_for(step, idle)
    except asyncio.TimeoutError:
        raise ApiError(408, "REQUEST_TIMEOUT", f"the upload sent nothing for {idle:g} s (setting "
                       "body_timeout_seconds); send the form without pauses") from None
    except ValueError as exc:  # aiohttp's word for a malformed multipart body
        raise invalid_request(f"the multipart/form-data body is malformed: {exc}") from None


def _mime(header: Optional[str]) -> Optional[str]:
    """The part's media type when it says something; None lets the store guess from the file name."""
    if not header:
        return None
    mime = header.split(";", 1)[0].strip().lower()
    if not _MIME.fullmatch(mime) or mime == "application/octet-stream":
        return None
    return mime


def _complete(received: _Received) -> Upload:
    values: Dict[str, Union[str, List[str]]] = {}
    for name, given in received.values.items():
        if name == "tags":
            values[name] = _tags(given)
        elif len(given) > 1:
            raise invalid_request(f"form field {name} is given {len(given)} times; give it once (only tags repeat)")
        else:
            values[name] = given[0]
    try:
        fields = UploadFields.model_validate(values)
    except ValidationError as exc:
        for item in exc.errors(include_url=False):
            if item["type"] == "missing" and len(item["loc"]) == 1:
                raise missing_field(str(item["loc"][0])) from None
        raise invalid_request(describe_validation_error(exc, "form field")) from None
    if received.path is None:
        raise missing_field("file")
    return Upload(fields, received.path, received.file_name, received.mime_type)


def _tags(given: List[str]) -> List[str]:
    if len(given) == 1 and given[0].lstrip().startswith("["):
        with contextlib.suppress(orjson.JSONDecodeError):
            parsed = orjson.loads(given[0])
            if isinstance(parsed, list) and all(isinstance(tag, str) for tag in parsed):
                return parsed
        raise invalid_request("form field tags holds '[' but is not a JSON array of strings; "
                              "send a JSON array, or repeat the field once per tag")
    return given

