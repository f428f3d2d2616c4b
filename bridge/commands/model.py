"""CommandRequest: what POST /api/executions asks the bridge to run."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Tuple


@dataclass(frozen=True)
class CommandRequest:
    """A program to run as a subprocess, with its directory, extra environment and limits."""

    command: str
    name: Optional[str] = None
    working_directory: Optional[str] = None  # relative paths are below the project directory
    environment: Mapping[str, str] = field(default_factory=dict)  # merged over the server's environment
    tags: Tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    shell: bool = False
    timeout: Optional[float] = None  # seconds of wall time; None: history.command_timeout
    user: str = "local"
