"""The learning path: topics and lessons from the shipped content, roadmaps built from topics, lesson XP."""

from __future__ import annotations

from .catalogue import Catalogue, Lesson, QuizQuestion, Topic, load_catalogue
from .completion import complete
from .models import CompleteRequest, RoadmapRequest
from .roadmap import build, current, generate

__all__ = ["Catalogue", "CompleteRequest", "Lesson", "QuizQuestion", "RoadmapRequest", "Topic", "build",
           "complete", "current", "generate", "load_catalogue"]
