"""Solved problems: one row per user and problem, so a problem's XP is awarded once even to racing submissions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "solved_problems",
        sa.Column("user_id", sa.String(36), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("problem_id", sa.String(36), sa.ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("solved_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Problems solved before this revision: their first accepted submission made them solved.
    op.execute(
        "INSERT INTO solved_problems (user_id, problem_id, solved_at) "
        "SELECT user_id, problem_id, MIN(created_at) FROM submissions WHERE status = 'accepted' "
        "GROUP BY user_id, problem_id"
    )


def downgrade() -> None:
    op.drop_table("solved_problems")
