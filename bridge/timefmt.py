"""Timestamps as the API shows them: ISO 8601 UTC with milliseconds and `Z`."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional


def iso(timestamp: Optional[float]) -> Optional[str]:
    """`1769337000.123` -> `"2026-01-25T10:30:00.123Z"`; None stays None."""
    if timestamp is None:
        return None
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
