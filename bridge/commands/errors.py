"""Why a command request cannot run; the HTTP layer answers it with a 400."""
from __future__ import annotations


class InvalidCommand(ValueError):
    """The request names something the bridge will not run as asked; the message says what to fix."""
