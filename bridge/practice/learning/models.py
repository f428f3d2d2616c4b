"""Request bodies of the learning path, validated strictly like every practice body."""

from __future__ import annotations

from typing import List

from pydantic import Field

from ..models import Strict

MAX_TOPICS = 20


class RoadmapRequest(Strict):
    topics: List[str] = Field(..., min_length=1, max_length=MAX_TOPICS)


class CompleteRequest(Strict):
    """Completing a lesson takes no fields; an empty body or `{}` both do."""
