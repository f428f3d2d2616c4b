"""A user's projects: add, list, delete (only one's own). No HTTP here."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import PracticeError, conflict, not_found
from ..timefmt import iso, now
from .models import PROJECTS_MAX, ProjectRequest
from .tables import Project


def project_json(project: Project) -> Dict[str, Any]:
    """A project in the seed's shape."""
    return {"id": project.id, "project_name": project.project_name, "description": project.description,
            "skills": list(project.skills), "metrics": dict(project.metrics), "created_at": iso(project.created_at)}


async def projects_of(session: AsyncSession, user_id: str) -> List[Project]:
    """The user's projects, newest first."""
    rows = await session.scalars(select(Project).where(Project.user_id == user_id)
                                 .order_by(Project.created_at.desc(), Project.id))
    return list(rows.all())


async def add_project(session: AsyncSession, user_id: str, req: ProjectRequest) -> Dict[str, Any]:
    count = await session.scalar(select(func.count()).select_from(Project).where(Project.user_id == user_id)) or 0
    if count >= PROJECTS_MAX:
        raise conflict(f"A portfolio holds at most {PROJECTS_MAX} projects; delete one before adding another")
    project = Project(id=str(uuid.uuid4()), user_id=user_id, project_name=req.project_name,
                      description=req.description, skills=list(req.skills), metrics=dict(req.metrics),
                      created_at=now())
    session.add(project)
    await session.commit()
    return project_json(project)


async def delete_project(session: AsyncSession, user_id: str, project_id: str) -> None:
    """Delete the caller's project; someone else's is 403 (ids are random UUIDs, so saying it exists leaks nothing)."""
    project = await session.get(Project, project_id)
    if project is None:
        raise not_found("Project not found")
    if project.user_id != user_id:
        raise PracticeError(403, "Access denied: this project belongs to another user")
    await session.delete(project)
    await session.commit()
