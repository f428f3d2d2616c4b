"""Problems a user has solved (at least one accepted submission), by difficulty."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import DIFFICULTIES
from ..tables import Problem, Submission


@dataclass(frozen=True)
class SolvedProblems:
    """Titles of the solved problems per difficulty, in catalogue order."""

    titles: Dict[str, List[str]] = field(default_factory=lambda: {d: [] for d in DIFFICULTIES})

    @property
    def counts(self) -> Dict[str, int]:
        return {difficulty: len(titles) for difficulty, titles in self.titles.items()}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def solved_problems(session: AsyncSession, user_id: str) -> SolvedProblems:
    accepted = select(Submission.problem_id).where(Submission.user_id == user_id, Submission.status == "accepted")
    rows = await session.execute(select(Problem.difficulty, Problem.title).where(Problem.id.in_(accepted))
                                 .order_by(Problem.position, Problem.id))
    solved = SolvedProblems()
    for difficulty, title in rows:
        solved.titles.setdefault(difficulty, []).append(title)
    return solved
