"""The shipped problems (content/problems/*.yaml): loaded, checked, and synced into the database at start."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List

import yaml
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from .judge.judge import HARNESSES, starters
from .judge.signature import Signature
from .judge.types import conforms
from .models import DIFFICULTIES
from .tables import Problem, ProblemTag

PROBLEMS_DIR = Path(__file__).parent / "content" / "problems"
XP = {"easy": 100, "medium": 200, "hard": 300}
MIN_TESTS = 6
# Problem ids are stable across restarts and databases: derived from the slug, not drawn at random.
NAMESPACE = uuid.UUID("0b3f3547-8775-4c0f-a2bf-000000000002")


@dataclass(frozen=True)
class ProblemContent:
    id: str
    slug: str
    position: int
    title: str
    description: str
    difficulty: str
    tags: List[str]
    signature: Signature
    tests: List[Dict[str, Any]]
    solutions: Dict[str, str]


def _check(data: Dict[str, Any], path: Path) -> ProblemContent:
    where = path.name
    signature = Signature.from_dict(data["signature"])
    difficulty = data["difficulty"]
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"{where}: difficulty must be one of {DIFFICULTIES}")
    tests = [dict(t) for t in data["tests"]]
    if len(tests) < MIN_TESTS:
        raise ValueError(f"{where}: {len(tests)} tests; at least {MIN_TESTS} are needed")
    for n, test in enumerate(tests, 1):
        args = test["input"]
        if len(args) != len(signature.params):
            raise ValueError(f"{where}: test {n} has {len(args)} arguments, the signature {len(signature.params)}")
        for arg, (name, vt) in zip(args, signature.params):
            if not conforms(arg, vt):
                raise ValueError(f"{where}: test {n} argument {name} is not a {vt}: {arg!r}")
        if not conforms(test["expected"], signature.returns):
            raise ValueError(f"{where}: test {n} expected value is not a {signature.returns}")
    solutions = dict(data["solutions"])
    if set(solutions) != set(HARNESSES):
        raise ValueError(f"{where}: solutions needed in {sorted(HARNESSES)}, found {sorted(solutions)}")
    slug = path.stem.split("-", 1)[1]
    return ProblemContent(
        id=str(uuid.uuid5(NAMESPACE, slug)), slug=slug, position=int(path.stem.split("-", 1)[0]),
        title=str(data["title"]), description=str(data["description"]).strip(), difficulty=difficulty,
        tags=[str(t) for t in data["tags"]], signature=signature, tests=tests, solutions=solutions,
    )


def load_problems(directory: Path = PROBLEMS_DIR) -> List[ProblemContent]:
    """Every problem file (`NNN-slug.yaml`), in order; ValueError naming the file and the fault."""
    return [_check(yaml.safe_load(path.read_text()), path) for path in sorted(directory.glob("*.yaml"))]


async def sync_problems(session: AsyncSession, problems: List[ProblemContent]) -> None:
    """Insert or update every shipped problem (by its stable id) and its tags."""
    for p in problems:
        row = await session.get(Problem, p.id)
        values = dict(slug=p.slug, position=p.position, title=p.title, description=p.description,
                      difficulty=p.difficulty, xp=XP[p.difficulty], signature=p.signature.to_dict(),
                      starter_code=starters(p.signature), solution_code=p.solutions, test_cases=p.tests)
        if row is None:
            session.add(Problem(id=p.id, **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
        await session.flush()
        await session.execute(delete(ProblemTag).where(ProblemTag.problem_id == p.id))
        session.add_all(ProblemTag(problem_id=p.id, tag=tag) for tag in dict.fromkeys(p.tags))
    await session.commit()
