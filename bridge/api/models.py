"""Request and response models of /api/v1/python (seed 001), used for parsing and for OpenAPI."""
from __future__ import annotations

from typing import Any, List, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..sessions import SESSION_ID_PATTERN


class ErrorReply(BaseModel):
    success: Literal[False] = False
    error_code: str = Field(description="stable machine code, e.g. MISSING_FIELD")
    error: str = Field(description="what was wrong and what to do")


class ExecuteRequest(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True)

    code: str = Field(description="Python source to run on the game thread")
    timeout: Optional[float] = Field(
        None, gt=0, description="seconds before the job is interrupted (default: setting default_timeout, 30)"
    )
    run_async: bool = Field(False, alias="async", description="reply 202 at once with the job id")
    mode: Literal["exec", "eval"] = Field("exec", description="exec: statements; eval: one expression")
    session_id: Optional[str] = Field(
        None, pattern=SESSION_ID_PATTERN, description="named persistent globals, like a REPL; idle ones expire"
    )
    name: Optional[str] = Field(None, max_length=200, description="label shown in job lists")


class LogEntryModel(BaseModel):
    time: str
    level: Literal["info", "warning", "error"]
    message: str


class ExecuteReply(BaseModel):
    success: bool
    job_id: str
    status: Literal["pending", "running", "completed", "failed", "cancelled"]
    output: str = ""
    output_truncated: bool = False
    logs: List[LogEntryModel] = []
    result: Any = Field(None, description="repr of the eval value or of a trailing expression; "
                                          "a named script's JSON return value")
    duration_ms: float = 0.0
    timed_out: bool = False
    error: Optional[str] = Field(None, description="only when the job failed or was cancelled")
    error_type: Optional[str] = None
    traceback: Optional[str] = None


class AcceptedReply(BaseModel):
    success: bool = True
    job_id: str
    status: Literal["pending", "running"]
    timed_out: bool = False
    message: Optional[str] = None


class JobSummary(BaseModel):
    id: str
    status: str
    name: Optional[str]
    kind: str
    created_at: str
    started_at: Optional[str]
    ended_at: Optional[str]
    duration_ms: float


class JobListReply(BaseModel):
    success: bool = True
    jobs: List[JobSummary]


class JobDetail(JobSummary):
    mode: str
    session_id: Optional[str]
    timeout: float
    output: str
    output_truncated: bool
    logs: List[LogEntryModel]
    result: Any
    timed_out: bool
    error: Optional[str] = Field(None, description="only when failed")
    error_type: Optional[str] = None
    traceback: Optional[str] = None


class JobDetailReply(BaseModel):
    success: bool = True
    job: JobDetail


class CancelReply(BaseModel):
    success: bool = True
    message: str
    job_id: str
    status: str


class InfoReply(BaseModel):
    success: bool = True
    engine_version: str
    project_name: str
    project_dir: str
    python_version: str
    bridge_version: str
    pid: int
    mock: bool
