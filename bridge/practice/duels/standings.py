"""Duel statistics and the leaderboard, read from the completed duels (aborted ones count for nobody)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from sqlalchemy import Subquery, and_, case, func, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from ..tables import Duel as DuelRow
from ..tables import User
from .store import COMPLETE


def _win_rate(wins: int, total: int) -> float:
    return round(wins / total, 2) if total else 0.0


def _ranked() -> Subquery:
    """Everyone who finished a duel, with wins and losses, ranked by rating, then wins, then name."""
    done = DuelRow.status == COMPLETE
    sides = union_all(
        select(DuelRow.player1_id.label("user_id"), DuelRow.winner_id.label("winner_id")).where(done),
        select(DuelRow.player2_id.label("user_id"), DuelRow.winner_id.label("winner_id")).where(done),
    ).subquery()
    won = case((sides.c.winner_id == sides.c.user_id, 1), else_=0)
    lost = case((and_(sides.c.winner_id.is_not(None), sides.c.winner_id != sides.c.user_id), 1), else_=0)
    records = (select(sides.c.user_id, func.count().label("total"), func.sum(won).label("wins"),
                      func.sum(lost).label("losses"))
               .group_by(sides.c.user_id).subquery())
    order = (User.rating.desc(), records.c.wins.desc(), User.username)
    return (select(User.id, User.username, User.rating, records.c.total, records.c.wins, records.c.losses,
                   func.row_number().over(order_by=order).label("rank"))
            .join(records, records.c.user_id == User.id).subquery())


async def leaderboard(session: AsyncSession, limit: int, offset: int) -> Dict[str, Any]:
    ranked = _ranked()
    rows = await session.execute(select(ranked).order_by(ranked.c.rank).limit(limit).offset(offset))
    return {"leaderboard": [{"rank": r.rank, "username": r.username, "wins": r.wins,
                             "win_rate": _win_rate(r.wins, r.total), "rating": r.rating} for r in rows]}


def _streaks(outcomes: list[bool]) -> tuple[int, int]:
    """(current, best) runs of wins, oldest outcome first; a loss or a draw ends a run."""
    current = best = 0
    for won in outcomes:
        current = current + 1 if won else 0
        best = max(best, current)
    return current, best


async def stats(session: AsyncSession, user_id: str) -> Dict[str, Any]:
    mine = or_(DuelRow.player1_id == user_id, DuelRow.player2_id == user_id)
    winners = (await session.scalars(select(DuelRow.winner_id).where(mine, DuelRow.status == COMPLETE)
                                     .order_by(DuelRow.ended_at, DuelRow.id))).all()
    wins = sum(1 for w in winners if w == user_id)
    losses = sum(1 for w in winners if w is not None and w != user_id)
    current, best = _streaks([w == user_id for w in winners])
    ranked = _ranked()
    rank: Optional[int] = await session.scalar(select(ranked.c.rank).where(ranked.c.id == user_id))
    rating = await session.scalar(select(User.rating).where(User.id == user_id))
    return {"total_duels": len(winners), "wins": wins, "losses": losses, "draws": len(winners) - wins - losses,
            "win_rate": _win_rate(wins, len(winners)), "current_streak": current, "best_streak": best,
            "rank": rank, "rating": rating}
