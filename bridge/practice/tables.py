"""The practice platform's tables (SQLAlchemy 2 declarative); the schema itself is made by the Alembic migrations."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every practice table."""


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    avatar_url: Mapped[Optional[str]] = mapped_column(String(2048), nullable=True)
    interests: Mapped[List[str]] = mapped_column(JSON, default=list)
    xp_total: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rating: Mapped[int] = mapped_column(Integer, default=1200, server_default="1200")  # Elo, from duels


class RevokedToken(Base):
    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Problem(Base):
    __tablename__ = "problems"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    difficulty: Mapped[str] = mapped_column(String(16), index=True)
    xp: Mapped[int] = mapped_column(Integer)
    signature: Mapped[Dict[str, Any]] = mapped_column(JSON)
    starter_code: Mapped[Dict[str, str]] = mapped_column(JSON)
    solution_code: Mapped[Dict[str, str]] = mapped_column(JSON)
    test_cases: Mapped[List[Dict[str, Any]]] = mapped_column(JSON)


class ProblemTag(Base):
    __tablename__ = "problem_tags"

    problem_id: Mapped[str] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    problem_id: Mapped[str] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    runtime_ms: Mapped[int] = mapped_column(Integer)
    memory_kb: Mapped[int] = mapped_column(Integer)
    test_results: Mapped[List[Dict[str, Any]]] = mapped_column(JSON)
    xp_earned: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class SolvedProblem(Base):
    """One row per user and problem, made by the first accepted submission: its primary key is what makes the
    problem's XP count once, even for two accepted submissions judged at the same moment."""

    __tablename__ = "solved_problems"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    problem_id: Mapped[str] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True)
    solved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Duel(Base):
    """One duel between two players: running while they solve, then complete (rated) or aborted (not rated)."""

    __tablename__ = "duels"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    problem_id: Mapped[str] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"))
    difficulty: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    player1_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    player2_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    player1_passed: Mapped[int] = mapped_column(Integer, default=0)
    player2_passed: Mapped[int] = mapped_column(Integer, default=0)
    player1_total: Mapped[int] = mapped_column(Integer)
    player2_total: Mapped[int] = mapped_column(Integer)
    player1_time_seconds: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    player2_time_seconds: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    player1_rating_change: Mapped[int] = mapped_column(Integer, default=0)
    player2_rating_change: Mapped[int] = mapped_column(Integer, default=0)
    winner_id: Mapped[Optional[str]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    end_reason: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
