"""Users, revoked tokens, problems with their tags, submissions.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("username", sa.String(32), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("avatar_url", sa.String(2048), nullable=True),
        sa.Column("interests", sa.JSON, nullable=False),
        sa.Column("xp_total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "revoked_tokens",
        sa.Column("jti", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "problems",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("difficulty", sa.String(16), nullable=False, index=True),
        sa.Column("xp", sa.Integer, nullable=False),
        sa.Column("signature", sa.JSON, nullable=False),
        sa.Column("starter_code", sa.JSON, nullable=False),
        sa.Column("solution_code", sa.JSON, nullable=False),
        sa.Column("test_cases", sa.JSON, nullable=False),
    )
    op.create_table(
        "problem_tags",
        sa.Column("problem_id", sa.String(36), sa.ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag", sa.String(64), primary_key=True, index=True),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.String(36), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("problem_id", sa.String(36), sa.ForeignKey("problems.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("runtime_ms", sa.Integer, nullable=False),
        sa.Column("memory_kb", sa.Integer, nullable=False),
        sa.Column("test_results", sa.JSON, nullable=False),
        sa.Column("xp_earned", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    for table in ("submissions", "problem_tags", "problems", "revoked_tokens", "users"):
        op.drop_table(table)
