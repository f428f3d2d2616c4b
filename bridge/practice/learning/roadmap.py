"""A roadmap built from the user's topics: every topic's level and lessons, and the levels its XP leads through."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import invalid
from ..levels import level_for, level_table
from ..timefmt import iso, now
from .catalogue import Catalogue, Topic
from .tables import Roadmap


def _resolve(catalogue: Catalogue, names: List[str]) -> List[Topic]:
    """The catalogue's topics for `names`, each once in the order asked; an unknown name is a 400 listing the known."""
    found: Dict[str, Topic] = {}
    for name in names:
        topic = catalogue.topic(name)
        if topic is None:
            known = ", ".join(t.name for t in catalogue.topics)
            raise invalid(f"Unknown topic {name!r}; choose from {known}")
        found.setdefault(topic.name, topic)
    return list(found.values())


def build(catalogue: Catalogue, names: List[str]) -> Dict[str, Any]:
    """The same topics always give the same `topics`, `skills` and `levels`."""
    topics = _resolve(catalogue, names)
    skills = {t.name: {"level": t.level, "lessons": list(t.lessons)} for t in topics}
    # the levels a learner passes through by taking every lesson here, starting from nothing, and the next one
    xp = sum(catalogue.lessons[lesson].xp for t in topics for lesson in t.lessons)
    return {"topics": [t.name for t in topics], "skills": skills, "levels": level_table(level_for(xp) + 1)}


def _json(row: Roadmap) -> Dict[str, Any]:
    return {"id": row.id, "topics": row.topics, "skills": row.skills, "levels": row.levels,
            "generated_at": iso(row.generated_at)}


async def generate(session: AsyncSession, catalogue: Catalogue, user_id: str, names: List[str]) -> Dict[str, Any]:
    """Build and keep a new roadmap; it becomes the user's current one."""
    row = Roadmap(id=str(uuid.uuid4()), user_id=user_id, generated_at=now(), **build(catalogue, names))
    session.add(row)
    await session.commit()
    return _json(row)


async def current(session: AsyncSession, user_id: str) -> Optional[Dict[str, Any]]:
    """The user's newest roadmap, or None before the first."""
    row = await session.scalar(select(Roadmap).where(Roadmap.user_id == user_id)
                               .order_by(Roadmap.generated_at.desc(), Roadmap.id).limit(1))
    return None if row is None else _json(row)
