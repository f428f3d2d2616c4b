"""Request and reply shapes of the trace API (seed 000); the OpenAPI document is generated from them."""

from __future__ import annotations

from typing import Annotated, Any, Dict, List, Literal, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..editor.sessions import SESSION_ID_PATTERN
from .settings import TraceSettings

# The document states the default limit; a smaller configured `max_steps_limit` is checked by the runner.
MAX_STEPS: int = TraceSettings.model_fields["max_steps_limit"].default


def _whole(value: Any) -> Any:
    # JSON Schema's "integer" includes 100.0, which a strict int refuses; true and "100" stay refused
    return int(value) if isinstance(value, float) and value.is_integer() else value


StepCount = Annotated[int, Field(ge=1, le=MAX_STEPS), BeforeValidator(_whole)]
LineNumber = Annotated[int, Field(ge=1, le=1_000_000), BeforeValidator(_whole)]
ModuleName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$", max_length=200)]

RunStatus = Literal["completed", "error", "limit_reached", "awaiting_input", "timeout", "memory_limit"]


class TraceOptions(BaseModel):
    """How to run: traced or not, and the step limit."""

    model_config = ConfigDict(strict=True, extra="forbid")

    trace: bool = Field(default=True, description="false: run untraced, as /execute/simple does")
    max_steps: Optional[StepCount] = Field(
        default=None,
        description=f"step limit, 1-{MAX_STEPS} (setting max_steps_limit); default: setting default_max_steps",
    )
    breakpoints: List[LineNumber] = Field(
        default_factory=list, max_length=10_000,
        description="Python Tutor's breakpoints: only steps on these lines (and on lines ending in #break), "
        "the step after each, and exceptions are recorded; empty: every step",
    )
    allowed_modules: Optional[List[ModuleName]] = Field(
        default=None, max_length=1000,
        description="modules the program may import (a package includes its submodules); any other import "
        "fails with Python Tutor's one-step ImportError. null: everything the box has",
    )


class TraceRequest(BaseModel):
    """A program to run, with the answers its input() calls get."""

    model_config = ConfigDict(strict=True, extra="forbid")

    code: str = Field(description="Python source of the program")
    user_input: Union[str, List[str]] = Field(default="", description="input() answers: lines or a list")
    session_id: Optional[str] = Field(default=None, pattern=SESSION_ID_PATTERN,
                                      description="a stored session to run again; null creates a new session")
    options: TraceOptions = Field(default_factory=lambda: TraceOptions())


class TraceError(BaseModel):
    """Why a run did not complete."""

    type: str
    message: str
    line: Optional[int] = None
    traceback: Optional[str] = None


class SimpleTraceReply(BaseModel):
    """Reply of an untraced run."""

    session_id: str
    status: RunStatus
    total_steps: int
    current_step: int
    stdout: str
    stderr: Optional[str] = None
    error: Optional[TraceError] = None
    execution_time: float


class TraceReply(SimpleTraceReply):
    """Reply of a traced run: every OPT step, in order."""

    steps: List[Dict[str, Any]]


class TraceSessionSummary(BaseModel):
    """A session in a listing."""

    session_id: str
    created_at: str
    updated_at: str
    status: RunStatus
    total_steps: int
    runs: int
    code_preview: str


class TraceSessionDetail(TraceReply):
    """A stored session with its last run."""

    created_at: str
    updated_at: str
    runs: int
    code: str
    user_input: Union[str, List[str]]


class TraceSessionList(BaseModel):
    """A page of sessions, newest first."""

    sessions: List[TraceSessionSummary]
    total: int
    limit: int
    offset: int


class TraceSessionDeleted(BaseModel):
    """Reply to a delete."""

    success: bool = True
    session_id: str
