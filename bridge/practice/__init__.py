"""The practice platform (seed 002): accounts, problems judged in the sandbox. Runs outside the editor."""

from __future__ import annotations

from .app import create_app
from .settings import PracticeSettings

__all__ = ["PracticeSettings", "create_app"]
