"""Settings of the run history (`history` group): where it is kept and for how long."""
from __future__ import annotations

from pathlib import Path
from typing import List, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


class HistorySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    store: Literal["sqlite", "memory"] = Field(
        default="sqlite", description="sqlite keeps the history across restarts; memory forgets it (tests)"
    )
    # None: <Project>/Saved/PythonBridge in the editor; the headless host's --data-dir (make run: .data/).
    data_dir: Optional[Path] = None
    max_age_days: float = Field(default=30.0, gt=0, description="finished runs older than this are pruned")
    max_runs: int = Field(default=100_000, ge=1, description="finished runs beyond this many are pruned, oldest first")
    prune_interval_seconds: float = Field(default=3600.0, gt=0, description="how often retention runs")
    artifact_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1, description="largest artifact file")
    artifact_retention_days: int = Field(default=30, ge=1, description="default retention of an artifact")
    # Commands (POST /api/executions) run in the project directory or below one of these.
    command_directories: List[Path] = Field(default_factory=list)
    command_timeout: float = Field(default=3600.0, gt=0, le=86_400, description="default wall-time limit of a command")
