"""Request and reply models of the sandbox API (seed 004 shapes plus our extra fields)."""

from __future__ import annotations

from typing import Dict, List, Optional

from pydantic import BaseModel, ConfigDict, Field

STATUSES = ("ok", "runtime_error", "compile_error", "timeout", "memory_limit", "output_limit", "signal")


class ExecuteRequest(BaseModel):
    """One program to run: the seed's fields plus `stdin`."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(..., description="The source code to execute.")
    language: str = Field(..., min_length=1, max_length=32, description="python, javascript, ruby, go, ...")
    language_version: Optional[str] = Field(default=None, max_length=32, description="Omitted: the default.")
    timeout_ms: int = Field(default=5000, ge=1, description="Wall-clock limit of the run in milliseconds.")
    memory_mb: int = Field(default=128, ge=16, description="Memory limit in MiB (cgroup).")
    cpu_count: int = Field(default=1, ge=1, description="CPU quota in cores.")
    stdin: str = Field(default="", description="Fed to the program's standard input.")


class ExecuteResponse(BaseModel):
    """What the program did, as in the seed plus status, signal, usage and truncation flags."""

    request_id: str
    stdout: str
    stderr: str
    exit_code: Optional[int]
    execution_time_ms: int
    language: str
    language_version: str
    status: str = Field(..., description="|".join(STATUSES))
    signal: Optional[str] = None
    compile_output: str = ""
    cpu_time_ms: Optional[int] = None
    memory_kb: Optional[int] = None
    stdout_truncated: bool = False
    stderr_truncated: bool = False


class TimeoutResponse(ExecuteResponse):
    """The 408 body: the seed's `detail` plus everything captured before the kill."""

    detail: str


class Limits(BaseModel):
    """Resource limits of a run."""

    timeout_ms: int
    memory_mb: int
    cpu_count: int


class RuntimeInfo(BaseModel):
    """One language as `GET /api/runtimes` lists it."""

    language: str
    versions: List[str]
    default_version: Optional[str]
    aliases: List[str]
    compiled: bool
    available: bool
    reason: Optional[str] = None
    default_limits: Limits
    max_limits: Limits


class RuntimesResponse(BaseModel):
    """Every language the sandbox knows, available or not."""

    runtimes: List[RuntimeInfo]


class HealthResponse(BaseModel):
    """Seed health shape, with the sandbox's own fields in place of the VM ones."""

    status: str
    version: str
    isolation_available: bool
    seccomp_filter: bool = False  # False only on a CPU architecture the filter has no table for
    cgroup_mode: str
    runtimes_found: List[str]
    runs_in_flight: int
    runs_queued: int
    reason: Optional[str] = None
    remote: Optional[Dict[str, object]] = None
