"""The shipped content is well formed, and a malformed problem file is refused with its name and its fault."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

from bridge.practice.catalogue import PROBLEMS_DIR, load_problems
from bridge.practice.judge.types import matches, parse_type

SHIPPED = load_problems()


def test_shipped_problems_are_complete() -> None:
    assert SHIPPED and SHIPPED[0].title == "Two Sum"
    assert len({p.id for p in SHIPPED}) == len({p.slug for p in SHIPPED}) == len(SHIPPED)
    for p in SHIPPED:
        hidden = [t for t in p.tests if not t.get("public")]
        assert len(hidden) >= 6 and len(hidden) < len(p.tests), p.slug  # six hidden edge cases, one shown at least
        assert set(p.solutions) == {"python", "javascript", "java", "cpp"}
    per_difficulty = Counter(p.difficulty for p in SHIPPED)
    assert set(per_difficulty) == {"easy", "medium", "hard"} and min(per_difficulty.values()) >= 10, per_difficulty
    assert len(SHIPPED) >= 40


def _two_sum() -> Dict[str, Any]:
    return dict(yaml.safe_load((PROBLEMS_DIR / "001-two-sum.yaml").read_text()))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(difficulty="intermediate"), "difficulty must be one of"),
        (lambda d: d.update(tests=d["tests"][:5]), "at least 6"),
        (lambda d: d["tests"][0].update(input=[[1, 2]]), "has 1 arguments"),
        (lambda d: d["tests"][0].update(input=[[1, "x"], 3]), "argument nums is not a list<int>"),
        (lambda d: d["tests"][0].update(expected="0,1"), "expected value is not a list<int>"),
        (lambda d: d["solutions"].pop("java"), "solutions needed"),
        (lambda d: d["signature"].update(returns="set<int>"), "not a value type"),
        (lambda d: d["signature"].update(function="two-sum"), "not an identifier"),
    ],
)
def test_bad_problem_files_are_refused(tmp_path: Path, change: Any, message: str) -> None:
    data = _two_sum()
    change(data)
    (tmp_path / "001-broken.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(ValueError, match=message) as caught:
        load_problems(tmp_path)
    assert "001-broken.yaml" in str(caught.value) or message in ("not a value type", "not an identifier")


@pytest.mark.parametrize(
    ("type_", "actual", "expected", "same"),
    [
        ("float", 0.1 + 0.2, 0.3, True),
        ("float", 0.31, 0.3, False),
        ("float", 2, 2.0, True),
        ("int", 2.0, 2, False),
        ("int", True, 1, False),
        ("bool", 1, True, False),
        ("string", "a", "a", True),
        ("list<list<int>>", [[1], [2, 3]], [[1], [2, 3]], True),
        ("list<list<int>>", [[1], [3, 2]], [[1], [2, 3]], False),
        ("list<int>", [1, 2], [1, 2, 3], False),
        ("map<string,float>", {"b": 1.0000000001, "a": 2}, {"a": 2.0, "b": 1.0}, True),
        ("map<string,int>", {"a": 1}, {"a": 1, "b": 2}, False),
    ],
)
def test_typed_comparison(type_: str, actual: Any, expected: Any, same: bool) -> None:
    assert matches(actual, expected, parse_type(type_)) is same
