"""ScriptSettings: where named editor scripts come from, besides the built-in editor_scripts/."""
from __future__ import annotations

from pathlib import Path
from typing import List

from pydantic import BaseModel, ConfigDict, Field


class ScriptSettings(BaseModel):
    """`UE_BRIDGE_SCRIPTS__DIRS='["/path/to/project/Scripts"]'` adds a project's own scripts."""

    model_config = ConfigDict(extra="forbid")

    dirs: List[Path] = Field(
        default_factory=list,
        description="more folders of script modules, watched like editor_scripts/; relative to the project",
    )
