"""The shipped topics and lessons: every lesson reachable from a roadmap, quizzes well-formed, the loader strict."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict

import pytest

from bridge.practice.errors import PracticeError
from bridge.practice.learning import build, load_catalogue
from bridge.practice.learning.catalogue import CONTENT_DIR

CATALOGUE = load_catalogue()


def test_ships_twenty_lessons_in_topics_for_every_language() -> None:
    assert len(CATALOGUE.lessons) >= 20
    names = {t.name for t in CATALOGUE.topics}
    assert {"Python Basics", "JavaScript Basics", "Java Basics", "C++ Basics", "Data Structures",
            "Algorithms"} <= names
    titles = [lesson.title for lesson in CATALOGUE.lessons.values()]
    assert len(set(titles)) == len(titles)


def test_every_lesson_is_reachable_from_a_roadmap() -> None:
    everything = build(CATALOGUE, [t.name for t in CATALOGUE.topics])
    listed = [lesson for skill in everything["skills"].values() for lesson in skill["lessons"]]
    assert sorted(listed) == sorted(CATALOGUE.lessons) and len(set(listed)) == len(listed)


def test_quizzes_are_well_formed() -> None:
    for lesson in CATALOGUE.lessons.values():
        assert lesson.content.startswith(f"# {lesson.title}\n"), lesson.id
        assert len(lesson.quiz_questions) >= 2, lesson.id
        assert [q.id for q in lesson.quiz_questions] == [f"q{n}" for n in range(1, len(lesson.quiz_questions) + 1)]
        for q in lesson.quiz_questions:
            assert 0 <= q.correct_answer < len(q.options) and len(set(q.options)) == len(q.options), (lesson.id, q)


def test_roadmaps_are_deterministic() -> None:
    assert build(CATALOGUE, ["algorithms", "Python Basics"]) == build(CATALOGUE, ["Algorithms", "python basics"])
    with pytest.raises(PracticeError, match="Unknown topic 'Rust'"):
        build(CATALOGUE, ["Rust"])


LESSON = """title: Sample
content: |
  # Sample

  Text.
quiz:
  - {question: "One?", options: ["a", "b"], correct_answer: 0}
  - {question: "Two?", options: ["a", "b"], correct_answer: 1}
"""


def write(root: Path, topics: str, lessons: Dict[str, str]) -> Path:
    (root / "lessons").mkdir()
    (root / "topics.yaml").write_text(topics)
    for name, text in lessons.items():
        (root / "lessons" / f"{name}.yaml").write_text(text)
    return root


def test_a_small_catalogue_loads(tmp_path: Path) -> None:
    found = load_catalogue(write(tmp_path, "- {name: T, level: 1, lessons: [sample]}\n", {"sample": LESSON}))
    sample = found.lesson("sample")
    assert sample is not None and sample.xp == 50  # the seed's default
    assert found.topic(" t ") is not None and found.topic("u") is None


@pytest.mark.parametrize("topics, lessons, message", [
    ("- {name: T, level: 1, lessons: []}\n", {"sample": LESSON}, "no roadmap reaches them: ['sample']"),
    ("- {name: T, level: 1, lessons: [sample, gone]}\n", {"sample": LESSON}, "'gone', which has no file"),
    ("- {name: T, level: 1, lessons: [sample]}\n- {name: U, level: 2, lessons: [sample]}\n", {"sample": LESSON},
     "is in 'T' and 'U'"),
    ("- {name: T, level: 1, lessons: [sample]}\n- {name: t, level: 1, lessons: []}\n", {"sample": LESSON},
     "listed twice"),
    ("- {name: T, level: 0, lessons: [sample]}\n", {"sample": LESSON}, "level must be a positive integer"),
    ("- {name: T, level: 1, lessons: [sample]}\n", {"sample": LESSON.replace("correct_answer: 1", "correct_answer: 2")},
     "quiz question 2 correct_answer must index its options, got 2"),
    ("- {name: T, level: 1, lessons: [sample]}\n", {"sample": LESSON.replace('["a", "b"], correct_answer: 0', '["a"]'
                                                                            ', correct_answer: 0')},
     "quiz question 1 needs at least 2"),
    ("- {name: T, level: 1, lessons: [sample]}\n", {"sample": LESSON.replace("# Sample", "Sample")},
     "starting with a '# ' heading"),
    ("- {name: T, level: 1, lessons: [sample]}\n", {"sample": "type: video\n" + LESSON}, "type must be one of"),
    ("- {name: T, level: 1, lessons: [Sample]}\n", {"Sample": LESSON}, "lower_snake_case"),
])
def test_loader_refuses_broken_content(tmp_path: Path, topics: str, lessons: Dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        load_catalogue(write(tmp_path, topics, lessons))


def test_content_lives_in_the_package() -> None:
    assert (CONTENT_DIR / "topics.yaml").is_file() and any((CONTENT_DIR / "lessons").glob("*.yaml"))
