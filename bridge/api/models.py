"""Request and response models of /api/v1/python (seed 001), used for parsing and for OpenAPI."""
from __future__ import annotations

from typing import Annotated, Any, ClassVar, Dict, List, Literal, Optional, Tuple

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, field_validator, model_serializer

from ..config import Settings
from ..editor.runner import MODE_KEY
from ..editor.sessions import SESSION_ID_PATTERN
from ..editor.sources import MODULE_PATTERN, SOURCE_KEY

# The document states the default limit; a smaller configured `max_timeout` is checked by job_timeout.
MAX_TIMEOUT_S: float = Settings.model_fields["max_timeout"].default
TIMEOUT_DESCRIPTION = (f"seconds before the job is interrupted, at most {MAX_TIMEOUT_S:g} (setting max_timeout) "
                       "(default: setting default_timeout, 30)")
JobStatusName = Literal["pending", "running", "completed", "failed", "cancelled"]
Tag = Annotated[str, Field(min_length=1, max_length=100)]
TAGS_DESCRIPTION = "labels kept with the run in the history, to find it again (GET /api/executions?tag=)"
METADATA_DESCRIPTION = "any JSON object kept with the run in the history"


class SeedReply(BaseModel):
    """A reply whose `sent_only_when_set` fields are left out unless given: seed 001 omits them, not null."""

    sent_only_when_set: ClassVar[Tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _leave_out_unset(self, handler: SerializerFunctionWrapHandler) -> Dict[str, Any]:
        data: Dict[str, Any] = handler(self)
        for name in self.sent_only_when_set:
            if name not in self.model_fields_set:
                data.pop(name, None)
        return data


class RunOptions(BaseModel):
    """What every request that starts an editor run may add: the history's labels, what a sync wait does."""

    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True)

    cancel_on_timeout: bool = Field(
        False, description="when the timeout passes while the job still waits in the queue, cancel it "
                           "instead of answering 202 pending and running it when its turn comes",
    )
    tags: List[Tag] = Field(default_factory=list, max_length=50, description=TAGS_DESCRIPTION)
    metadata: Dict[str, Any] = Field(default_factory=dict, description=METADATA_DESCRIPTION)

    @field_validator("metadata")
    @classmethod
    def _mode_is_reserved(cls, metadata: Dict[str, Any]) -> Dict[str, Any]:
        if MODE_KEY in metadata:
            raise ValueError(f"the metadata key '{MODE_KEY}' is reserved: the bridge keeps the `mode` field there")
        if SOURCE_KEY in metadata:
            raise ValueError(f"the metadata key '{SOURCE_KEY}' is reserved: the bridge keeps the `file`, `module` "
                             "and `args` fields there")
        return metadata


class ExecuteRequest(RunOptions):
    """Exactly one of `code`, `file` and `module`."""

    code: Optional[str] = Field(None, description="Python source to run on the game thread")
    file: Optional[str] = Field(
        None, min_length=1, max_length=4096,
        description="a Python file to run as Epic's ExecuteFile does (`__file__` set, `sys.argv` from `args`, its "
                    "folder first on sys.path); a file inside a package on sys.path runs as that module. Absolute, "
                    "or relative to the project, then to its Python folders; only files in the project, its Python "
                    "folders and the python.paths folders",
    )
    module: Optional[str] = Field(
        None, max_length=500, pattern=MODULE_PATTERN,
        description="a module to run as `python -m` runs it (`pkg.tool`: relative imports work)",
    )
    args: List[Annotated[str, Field(max_length=10_000)]] = Field(
        default_factory=list, max_length=1000, description="`sys.argv[1:]` of a `file` or `module` run",
    )
    timeout: Optional[float] = Field(None, gt=0, le=MAX_TIMEOUT_S, description=TIMEOUT_DESCRIPTION)
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


class ExecuteReply(SeedReply):
    sent_only_when_set: ClassVar[Tuple[str, ...]] = ("error", "error_type", "traceback")

    success: bool
    job_id: str
    status: JobStatusName
    output: str = ""
    output_truncated: bool = False
    logs: List[LogEntryModel] = []
    result: Any = Field(None, description="repr of the eval value or of a trailing expression; "
                                          "a named script's JSON return value")
    duration_ms: float = 0.0
    timed_out: bool = False
    error: Optional[str] = Field(None, description="only when the job failed or was cancelled")
    error_type: Optional[str] = Field(None, description="only with `error`")
    traceback: Optional[str] = Field(None, description="only with `error`")


class AcceptedReply(SeedReply):
    sent_only_when_set: ClassVar[Tuple[str, ...]] = ("timed_out", "message")

    success: bool = True
    job_id: str
    status: JobStatusName = Field(description="usually pending or running; a quick job may have finished already")
    timed_out: bool = Field(
        default=False, description="only when a sync call's timeout passed: the job is still queued (status "
                                   "pending), or ran past its timeout and is still stopping (status running)",
    )
    message: Optional[str] = Field(default=None, description="only with `timed_out`: what to do next")


class JobSummary(SeedReply):
    id: str
    status: JobStatusName
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
    sent_only_when_set: ClassVar[Tuple[str, ...]] = ("ended_at", "error", "error_type", "traceback")

    ended_at: Optional[str] = Field(None, description="only once the job has finished")
    mode: str
    session_id: Optional[str]
    timeout: float
    output: str
    output_truncated: bool
    logs: List[LogEntryModel]
    result: Any
    timed_out: bool
    error: Optional[str] = Field(None, description="only when failed")
    error_type: Optional[str] = Field(None, description="only when failed or cancelled")
    traceback: Optional[str] = Field(None, description="only when failed or cancelled")


class JobDetailReply(BaseModel):
    success: bool = True
    job: JobDetail


class CancelReply(BaseModel):
    success: bool = True
    message: str
    job_id: str
    status: JobStatusName


class InfoReply(BaseModel):
    success: bool = True
    engine_version: str
    project_name: str
    project_dir: str
    python_version: str
    bridge_version: str
    pid: int
    mock: bool
