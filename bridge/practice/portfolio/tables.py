"""The portfolio's one table: a user's projects (the schema itself is made by migration 0004)."""

from __future__ import annotations

from datetime import datetime
from typing import Dict, List, Union

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..tables import Base

MetricValue = Union[int, float, str]


class Project(Base):
    __tablename__ = "portfolio_projects"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    project_name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    skills: Mapped[List[str]] = mapped_column(JSON)
    metrics: Mapped[Dict[str, MetricValue]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
