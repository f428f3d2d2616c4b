"""Request and reply models of the sandbox API (seed 004 shapes plus our extra fields)."""

from __future__ import annotations

from typing import Annotated, Any, Dict, List, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..containment.info import ContainmentInfo
from .runtimes import ALIASES, MAXIMA

STATUSES = ("ok", "runtime_error", "compile_error", "timeout", "memory_limit", "output_limit", "signal")
# The language names and the largest limits are documented, not validated here: the runner answers an unknown
# name with the seed's "Unsupported language" 400, and each language's own maxima with its "Resource limits" 400.
LANGUAGE_NAMES = [name for language, aliases in ALIASES.items() for name in (language, *aliases)]
LANGUAGE_ENUM: Dict[str, Any] = {"enum": LANGUAGE_NAMES}
MAX_MEMORY_MB, MAX_CPU_COUNT, MAX_TIMEOUT_MS = (max(limits) for limits in zip(*MAXIMA.values()))


def _whole(value: Any) -> Any:
    # JSON Schema's "integer" includes 470.0, which a strict int refuses; true and "470" stay refused
    return int(value) if isinstance(value, float) and value.is_integer() else value


WholeNumber = Annotated[int, BeforeValidator(_whole)]


class ExecuteRequest(BaseModel):
    """One program to run: the seed's fields plus `stdin`."""

    model_config = ConfigDict(strict=True, extra="forbid")

    code: str = Field(..., description="The source code to execute.")
    language: str = Field(..., min_length=1, max_length=32, json_schema_extra=LANGUAGE_ENUM,
                          description="A language or one of its aliases (GET /api/runtimes).")
    language_version: Optional[str] = Field(
        default=None, max_length=32, description="Omitted: the default. GET /api/runtimes lists the installed ones."
    )
    timeout_ms: WholeNumber = Field(
        default=5000, ge=1, json_schema_extra={"maximum": MAX_TIMEOUT_MS},
        description="Wall-clock limit of the run in milliseconds; each language's maximum is in GET /api/runtimes.",
    )
    memory_mb: WholeNumber = Field(
        default=128, ge=16, json_schema_extra={"maximum": MAX_MEMORY_MB},
        description="Memory limit in MiB (cgroup); each language's maximum is in GET /api/runtimes.",
    )
    cpu_count: WholeNumber = Field(
        default=1, ge=1, json_schema_extra={"maximum": MAX_CPU_COUNT},
        description="CPU quota in cores; each language's maximum is in GET /api/runtimes.",
    )
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
    containment: Optional[ContainmentInfo] = Field(None, description="what boxes each run (remote: the remote's)")
    remote: Optional[Dict[str, object]] = None
