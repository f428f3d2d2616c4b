"""The portfolio: the user, their XP and level, solved problems, projects and the skills those show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import unauthorized
from ..levels import level_for
from ..tables import User
from ..timefmt import now
from .projects import project_json, projects_of
from .solved import SolvedProblems, solved_problems
from .tables import Project


@dataclass(frozen=True)
class Portfolio:
    username: str
    xp_total: int
    level: int
    solved: SolvedProblems
    projects: List[Project]
    made_at: datetime

    @property
    def skills(self) -> List[str]:
        """Every skill the projects list, most used first; spelled as it first appears (newest project first)."""
        spelling: Dict[str, str] = {}
        uses: Counter[str] = Counter()
        for project in self.projects:
            for skill in project.skills:
                spelling.setdefault(skill.casefold(), skill)
                uses[skill.casefold()] += 1
        return [spelling[key] for key in sorted(spelling, key=lambda key: (-uses[key], key))]


async def load_portfolio(session: AsyncSession, user_id: str) -> Portfolio:
    user = await session.get(User, user_id)
    if user is None:  # deleted between the auth check and now
        raise unauthorized("No account for this token; sign up first")
    return Portfolio(username=user.username, xp_total=user.xp_total, level=level_for(user.xp_total),
                     solved=await solved_problems(session, user_id), projects=await projects_of(session, user_id),
                     made_at=now())


def portfolio_json(portfolio: Portfolio) -> Dict[str, Any]:
    """The seed's `{user, projects}`, plus `level` and what the portfolio aggregates: solved problems and skills."""
    return {
        "user": {"username": portfolio.username, "xp_total": portfolio.xp_total, "level": portfolio.level},
        "projects": [project_json(p) for p in portfolio.projects],
        "solved_problems": {**portfolio.solved.counts, "total": portfolio.solved.total},
        "skills": portfolio.skills,
    }
