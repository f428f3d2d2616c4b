"""The tools' input models: fields taken from the REST API's own request models, so both check alike."""
from __future__ import annotations

import copy
from typing import Any, Dict, Optional, Type

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ..api.models import ExecuteRequest
from ..api.monitor.executions import ExecutionPath, ExecutionQuery
from ..sandbox.models import ExecuteRequest as SandboxRequest
from ..trace.models import TraceOptions, TraceRequest

MAX_WAIT_S = 3600.0
DEFAULT_WAIT_S = 50.0  # under the 60 s many agents give a tool call before they give up on it
STRICT = ConfigDict(strict=True, extra="forbid")


def taken(source: Type[BaseModel], *fields: str) -> Dict[str, Any]:
    """`fields` exactly as `source` declares them (type, limits, description), for create_model."""
    return {field: (source.model_fields[field].annotation, source.model_fields[field]) for field in fields}


def required(source: Type[BaseModel], field: str, annotation: Any) -> Dict[str, Any]:
    """`field` as `source` declares it (limits, description), but required: REST takes `code` or a `file`
    or a `module`; a tool call always sends code."""
    info = copy.copy(source.model_fields[field])
    info.default = PydanticUndefined
    return {field: (annotation, info)}


def pick(name: str, fields: Dict[str, Any]) -> Type[BaseModel]:
    model: Type[BaseModel] = create_model(name, __config__=STRICT, **fields)
    return model


WAIT = (float, Field(DEFAULT_WAIT_S, ge=0, le=MAX_WAIT_S, description=(
    "seconds this call waits for the run to end; a run still going then is answered with its job id and "
    "status 'running' (it goes on: get_run shows it later, cancel_run stops it)")))
LIST_LIMIT = FieldInfo.merge_field_infos(ExecutionQuery.model_fields["limit"], default=20,
                                         description="how many, newest first")
RUN_ID = {"run_id": (str, ExecutionPath.model_fields["id"])}

ExecutePython = pick("execute_python", {**required(ExecuteRequest, "code", str),
                                        **taken(ExecuteRequest, "timeout", "mode", "session_id"), "wait": WAIT})
GetRun = pick("get_run", RUN_ID)
CancelRun = pick("cancel_run", RUN_ID)
ListRuns = pick("list_runs", {"limit": (int, LIST_LIMIT), **taken(ExecutionQuery, "status", "kind", "tag", "text")})
TracePython = pick("trace_python", {**taken(TraceRequest, "code", "user_input"), **taken(TraceOptions, "max_steps")})
RunSandboxed = pick("run_sandboxed", taken(SandboxRequest, "language", "code", "stdin", "timeout_ms"))
ListEditors = pick("list_editors", {})
SelectEditor = pick("select_editor", {
    "url": (Optional[str], Field(None, description="the bridge's URL, as list_editors shows it")),
    "project": (Optional[str], Field(None, description="a project folder (or .uproject) open in a running editor")),
})


def schema(model: Type[BaseModel]) -> Dict[str, Any]:
    """The JSON schema an MCP client is shown: an object, titled by nothing but its fields."""
    document = model.model_json_schema()
    document.pop("title", None)
    for prop in document.get("properties", {}).values():
        prop.pop("title", None)
    document.setdefault("properties", {})
    return document
