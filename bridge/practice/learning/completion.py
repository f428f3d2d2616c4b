"""Completing a lesson: its XP once per user, decided by the database's unique key rather than a prior read."""

from __future__ import annotations

from typing import Any, Dict

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import unauthorized
from ..levels import level_for
from ..tables import User
from ..timefmt import now
from .catalogue import Lesson
from .tables import LessonCompletion


async def complete(session: AsyncSession, user_id: str, lesson: Lesson) -> Dict[str, Any]:
    """`{xp_earned, new_total_xp, level_up}`; a lesson already completed earns 0 and never levels up."""
    try:
        session.add(LessonCompletion(user_id=user_id, lesson_id=lesson.id, xp_earned=lesson.xp, completed_at=now()))
        await session.flush()  # a second completion, however concurrent, fails here on the primary key
    except IntegrityError:
        await session.rollback()
        total = await session.scalar(select(User.xp_total).where(User.id == user_id))
        if total is None:
            raise unauthorized("The token's user no longer exists; sign up again") from None
        return {"xp_earned": 0, "new_total_xp": total, "level_up": False}
    # one UPDATE adds the XP in the database, so a submission's XP landing at the same time is not lost
    total = await session.scalar(update(User).where(User.id == user_id)
                                 .values(xp_total=User.xp_total + lesson.xp).returning(User.xp_total))
    await session.commit()
    if total is None:  # the foreign key normally refuses this first; kept for a user deleted in between
        raise unauthorized("The token's user no longer exists; sign up again")
    return {"xp_earned": lesson.xp, "new_total_xp": total,
            "level_up": level_for(total) > level_for(total - lesson.xp)}
