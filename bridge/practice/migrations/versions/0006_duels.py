"""Duels: one row per duel (players, their best results, winner, how it ended) and an Elo rating per user.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.add_column(sa.Column("rating", sa.Integer, nullable=False, server_default="1200"))
    op.create_table(
        "duels",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("problem_id", sa.String(36), sa.ForeignKey("problems.id", ondelete="CASCADE"), nullable=False),
        sa.Column("difficulty", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("player1_id", sa.String(36), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("player2_id", sa.String(36), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("player1_passed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("player2_passed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("player1_total", sa.Integer, nullable=False),
        sa.Column("player2_total", sa.Integer, nullable=False),
        sa.Column("player1_time_seconds", sa.Float, nullable=True),
        sa.Column("player2_time_seconds", sa.Float, nullable=True),
        sa.Column("player1_rating_change", sa.Integer, nullable=False, server_default="0"),
        sa.Column("player2_rating_change", sa.Integer, nullable=False, server_default="0"),
        sa.Column("winner_id", sa.String(36), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("end_reason", sa.String(32), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True, index=True),
    )


def downgrade() -> None:
    op.drop_table("duels")
    with op.batch_alter_table("users") as users:
        users.drop_column("rating")
