"""The duel rows and the players' ratings in the database: a duel's end and both new ratings in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..tables import Duel as DuelRow
from ..tables import Problem, User
from ..timefmt import now
from . import elo
from .duel import SHUTDOWN, Contender, Duel, DuelProblem

RUNNING, COMPLETE, ABORTED = "running", "complete", "aborted"


@dataclass(frozen=True)
class Rated:
    rating: int
    change: int


async def load_problems(session: AsyncSession) -> List[DuelProblem]:
    rows = await session.scalars(select(Problem).order_by(Problem.position, Problem.id))
    return [DuelProblem(p.id, p.title, p.description, p.difficulty, dict(p.signature), dict(p.starter_code),
                        len(p.test_cases)) for p in rows]


async def abort_stale(session: AsyncSession) -> None:
    """Duels left running by a server that stopped without ending them: nobody can finish them now."""
    await session.execute(update(DuelRow).where(DuelRow.status == RUNNING)
                          .values(status=ABORTED, end_reason="server_restart", ended_at=now()))
    await session.commit()


async def create(session: AsyncSession, duel: Duel) -> None:
    first, second = duel.players
    session.add(DuelRow(id=duel.id, problem_id=duel.problem.id, difficulty=duel.problem.difficulty,
                        language=duel.language, player1_id=first.user_id, player2_id=second.user_id,
                        player1_passed=0, player2_passed=0,
                        player1_total=duel.problem.total_tests, player2_total=duel.problem.total_tests,
                        status=RUNNING, started_at=duel.starts_at))
    await session.commit()


async def finish(session: AsyncSession, duel: Duel, won_by: Optional[Contender], reason: str) -> Dict[str, Rated]:
    """Close the duel's row and move both ratings, at most once however often it is called; new ratings by user."""
    first, second = duel.players
    rated = reason != SHUTDOWN
    closed = await session.execute(
        update(DuelRow).where(DuelRow.id == duel.id, DuelRow.status == RUNNING)
        .values(status=COMPLETE if rated else ABORTED, end_reason=reason, ended_at=now(),
                winner_id=won_by.user_id if won_by else None,
                player1_passed=first.passed, player2_passed=second.passed,
                player1_time_seconds=first.time_seconds, player2_time_seconds=second.time_seconds))
    users = {u.id: u for u in await session.scalars(
        select(User).where(User.id.in_([first.user_id, second.user_id])).with_for_update())}
    ratings = {i: Rated(u.rating, 0) for i, u in users.items()}
    if getattr(closed, "rowcount", 0) != 1 or not rated or len(users) != 2:  # ended already, or not rated
        await session.commit()
        return ratings
    score = 0.5 if won_by is None else 1.0 if won_by is first else 0.0
    before = {user_id: r.rating for user_id, r in ratings.items()}  # the UPDATEs below also refresh `users`
    change = elo.rating_change(before[first.user_id], before[second.user_id], score)
    for user_id, delta in ((first.user_id, change), (second.user_id, -change)):
        # relative to the row's value, like XP, so nothing read before this transaction can be written back
        await session.execute(update(User).where(User.id == user_id).values(rating=User.rating + delta))
        ratings[user_id] = Rated(before[user_id] + delta, delta)
    await session.execute(update(DuelRow).where(DuelRow.id == duel.id)
                          .values(player1_rating_change=change, player2_rating_change=-change))
    await session.commit()
    return ratings
