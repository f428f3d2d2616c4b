"""Problems as the API shows them (never their solutions or tests), and submissions judged and recorded."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .errors import not_found
from .judge.judge import Judge
from .judge.signature import Signature
from .models import DIFFICULTIES, LANGUAGES, SubmissionRequest
from .query import choice, page
from .tables import Problem, ProblemTag, SolvedProblem, Submission, User
from .timefmt import iso, now


def _summary(p: Problem, tags: List[str], language: str) -> Dict[str, Any]:
    return {"id": p.id, "title": p.title, "description": p.description, "difficulty": p.difficulty,
            "language": language, "tags": tags, "languages": list(LANGUAGES), "xp": p.xp}


async def _tags(session: AsyncSession, ids: List[str]) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {i: [] for i in ids}
    rows = await session.execute(select(ProblemTag.problem_id, ProblemTag.tag).where(ProblemTag.problem_id.in_(ids))
                                 .order_by(ProblemTag.tag))
    for problem_id, tag in rows:
        found[problem_id].append(tag)
    return found


async def list_problems(session: AsyncSession, query: Dict[str, str]) -> Dict[str, Any]:
    """Filters: difficulty, language, tags (a problem must carry every tag listed), limit (20), offset (0)."""
    difficulty = choice(query, "difficulty", DIFFICULTIES)
    language = choice(query, "language", LANGUAGES) or "python"
    limit, offset = page(query, 20)
    tags = [t.strip() for t in query.get("tags", "").split(",") if t.strip()]
    where = []
    if difficulty:
        where.append(Problem.difficulty == difficulty)
    for tag in tags:  # every problem ships in all four languages, so `language` only picks the starter shown
        where.append(Problem.id.in_(select(ProblemTag.problem_id).where(ProblemTag.tag == tag)))
    total = await session.scalar(select(func.count()).select_from(Problem).where(*where)) or 0
    rows = (await session.scalars(select(Problem).where(*where).order_by(Problem.position, Problem.id)
                                  .limit(limit).offset(offset))).all()
    tag_map = await _tags(session, [p.id for p in rows])
    return {"problems": [_summary(p, tag_map[p.id], language) for p in rows], "total": total}


async def _problem(session: AsyncSession, problem_id: str) -> Problem:
    p = await session.get(Problem, problem_id)
    if p is None:
        raise not_found("Problem not found")
    return p


async def get_problem(session: AsyncSession, problem_id: str, query: Dict[str, str]) -> Dict[str, Any]:
    language = choice(query, "language", LANGUAGES) or "python"
    p = await _problem(session, problem_id)
    tags = (await _tags(session, [p.id]))[p.id]
    return {"id": p.id, "title": p.title, "description": p.description, "difficulty": p.difficulty,
            "starter_code": p.starter_code[language], "tags": tags, "language": language,
            "starter_codes": p.starter_code, "function_signature": p.signature, "xp": p.xp}


async def submit(session: AsyncSession, judge: Judge, user_id: str, req: SubmissionRequest) -> Dict[str, Any]:
    """Judge the code on every test; XP only for a user's first accepted submission of the problem."""
    p = await _problem(session, req.problem_id)
    await session.commit()  # no transaction stays open while the code runs
    verdict = await judge.judge(req.language, req.code, Signature.from_dict(p.signature), p.test_cases)
    problem_id, problem_xp = p.id, p.xp  # a rollback below expires `p`
    xp = 0
    if verdict.status == "accepted":
        try:
            session.add(SolvedProblem(user_id=user_id, problem_id=problem_id, solved_at=now()))
            await session.flush()  # solved before, however concurrently: refused here by the primary key
        except IntegrityError:
            await session.rollback()
        else:
            xp = problem_xp
            # one UPDATE adds the XP in the database, so a lesson's XP landing at the same time is not lost
            await session.execute(update(User).where(User.id == user_id).values(xp_total=User.xp_total + xp))
    row = Submission(id=str(uuid.uuid4()), user_id=user_id, problem_id=problem_id, language=req.language, code=req.code,
                     status=verdict.status, runtime_ms=verdict.runtime_ms, memory_kb=verdict.memory_kb,
                     test_results=verdict.test_results, xp_earned=xp, created_at=now())
    session.add(row)
    await session.commit()
    return {"id": row.id, "status": verdict.status, "runtime_ms": verdict.runtime_ms, "memory_kb": verdict.memory_kb,
            "test_results": verdict.test_results, "xp_earned": xp, "passed_tests": verdict.passed,
            "total_tests": verdict.total, "error": verdict.error, "language": req.language, "problem_id": problem_id}


async def history(session: AsyncSession, user_id: str, query: Dict[str, str]) -> Dict[str, Any]:
    limit, offset = page(query, 50)
    rows = await session.execute(
        select(Submission, Problem.title).join(Problem, Problem.id == Submission.problem_id)
        .where(Submission.user_id == user_id).order_by(Submission.created_at.desc(), Submission.id)
        .limit(limit).offset(offset))
    return {"submissions": [
        {"id": s.id, "problem_id": s.problem_id, "problem_title": title, "status": s.status, "language": s.language,
         "runtime_ms": s.runtime_ms, "memory_kb": s.memory_kb, "xp_earned": s.xp_earned,
         "created_at": iso(s.created_at)}
        for s, title in rows]}
