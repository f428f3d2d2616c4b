"""The shipped learning content: topics (content/topics.yaml) and their lessons (content/lessons/*.yaml), checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
LESSON_TYPES = ("reading", "exercise")
SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
DEFAULT_XP = 50  # the seed's example completion earns 50


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    question: str
    options: Tuple[str, ...]
    correct_answer: int  # index into options; the seed sends it with the lesson, so grading is the client's

    def to_json(self) -> Dict[str, Any]:
        return {"id": self.id, "question": self.question, "options": list(self.options),
                "correct_answer": self.correct_answer}


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    type: str
    xp: int
    content: str
    quiz_questions: Tuple[QuizQuestion, ...]

    def to_json(self) -> Dict[str, Any]:
        return {"id": self.id, "title": self.title, "type": self.type, "content": self.content,
                "quiz_questions": [q.to_json() for q in self.quiz_questions], "xp": self.xp}


@dataclass(frozen=True)
class Topic:
    name: str
    level: int  # 1 for first steps; a topic that builds on others sits higher
    lessons: Tuple[str, ...]  # lesson ids, in the order to take them


@dataclass(frozen=True)
class Catalogue:
    topics: Tuple[Topic, ...]
    lessons: Dict[str, Lesson]

    def topic(self, name: str) -> Optional[Topic]:
        """The topic called `name`, whatever its case and surrounding spaces."""
        wanted = " ".join(name.split()).casefold()
        return next((t for t in self.topics if t.name.casefold() == wanted), None)

    def lesson(self, lesson_id: str) -> Optional[Lesson]:
        return self.lessons.get(lesson_id)


def _question(data: Any, number: int, where: str) -> QuizQuestion:
    if not isinstance(data, dict) or set(data) != {"question", "options", "correct_answer"}:
        raise ValueError(f"{where}: quiz question {number} needs exactly question, options and correct_answer")
    options = data["options"]
    if not isinstance(options, list) or len(options) < 2 or not all(isinstance(o, str) and o for o in options):
        raise ValueError(f"{where}: quiz question {number} needs at least 2 non-empty string options")
    if len(set(options)) != len(options):
        raise ValueError(f"{where}: quiz question {number} repeats an option")
    answer = data["correct_answer"]
    if type(answer) is not int or not 0 <= answer < len(options):
        raise ValueError(f"{where}: quiz question {number} correct_answer must index its options, got {answer!r}")
    if not isinstance(data["question"], str) or not data["question"].strip():
        raise ValueError(f"{where}: quiz question {number} has no question text")
    return QuizQuestion(id=f"q{number}", question=data["question"].strip(), options=tuple(options),
                        correct_answer=answer)


def _lesson(path: Path) -> Lesson:
    where = path.name
    lesson_id = path.stem
    if not SLUG.match(lesson_id):
        raise ValueError(f"{where}: a lesson file is named by its id, lower_snake_case")
    data = yaml.safe_load(path.read_text())
    if not isinstance(data, dict):
        raise ValueError(f"{where}: a lesson is a mapping of title, type, xp, content and quiz")
    unknown = set(data) - {"title", "type", "xp", "content", "quiz"}
    if unknown:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
    kind = data.get("type", "reading")
    if kind not in LESSON_TYPES:
        raise ValueError(f"{where}: type must be one of {', '.join(LESSON_TYPES)}, got {kind!r}")
    xp = data.get("xp", DEFAULT_XP)
    if type(xp) is not int or xp <= 0:
        raise ValueError(f"{where}: xp must be a positive integer, got {xp!r}")
    content = str(data.get("content", "")).strip()
    if not content.startswith("# "):
        raise ValueError(f"{where}: content is markdown starting with a '# ' heading")
    quiz = data.get("quiz") or []
    if not isinstance(quiz, list) or len(quiz) < 2:
        raise ValueError(f"{where}: a lesson needs at least 2 quiz questions")
    return Lesson(id=lesson_id, title=str(data["title"]), type=kind, xp=xp, content=content + "\n",
                  quiz_questions=tuple(_question(q, n, where) for n, q in enumerate(quiz, 1)))


def _topics(path: Path, lessons: Dict[str, Lesson]) -> Tuple[Topic, ...]:
    data = yaml.safe_load(path.read_text())
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path.name}: a list of topics, each with name, level and lessons")
    topics: List[Topic] = []
    placed: Dict[str, str] = {}
    for entry in data:
        name, level, ids = entry["name"], entry["level"], entry["lessons"]
        if any(t.name.casefold() == name.casefold() for t in topics):
            raise ValueError(f"{path.name}: topic {name!r} is listed twice")
        if type(level) is not int or level < 1:
            raise ValueError(f"{path.name}: topic {name!r} level must be a positive integer, got {level!r}")
        for lesson_id in ids:
            if lesson_id not in lessons:
                raise ValueError(f"{path.name}: topic {name!r} lists lesson {lesson_id!r}, which has no file")
            if lesson_id in placed:
                raise ValueError(f"{path.name}: lesson {lesson_id!r} is in {placed[lesson_id]!r} and {name!r}")
            placed[lesson_id] = name
        topics.append(Topic(name=name, level=level, lessons=tuple(ids)))
    orphans = sorted(set(lessons) - set(placed))
    if orphans:
        raise ValueError(f"{path.name}: lessons no topic lists, so no roadmap reaches them: {orphans}")
    return tuple(topics)


def load_catalogue(directory: Path = CONTENT_DIR) -> Catalogue:
    """Every topic and lesson; ValueError naming the file and the fault."""
    lessons = {path.stem: _lesson(path) for path in sorted((directory / "lessons").glob("*.yaml"))}
    return Catalogue(topics=_topics(directory / "topics.yaml", lessons), lessons=lessons)
