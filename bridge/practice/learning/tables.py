"""The learning path's tables: each user's generated roadmaps and the lessons they completed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..tables import Base


class Roadmap(Base):
    __tablename__ = "roadmaps"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    topics: Mapped[List[str]] = mapped_column(JSON)
    skills: Mapped[Dict[str, Any]] = mapped_column(JSON)
    levels: Mapped[List[Dict[str, int]]] = mapped_column(JSON)
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class LessonCompletion(Base):
    """One row per user and lesson: the primary key is what makes XP count once, even for racing requests."""

    __tablename__ = "lesson_completions"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    xp_earned: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
