"""The history's text filter (GET /api/executions?text=): the same answers from both stores."""
from __future__ import annotations

from typing import Dict, List

import pytest

from bridge.runs import RunHistory, RunKind, RunQuery, RunStatus

from .conftest import FakeClock


def fill(history: RunHistory, clock: FakeClock) -> Dict[str, str]:
    """Runs whose names and commands the queries below tell apart; returns their ids by label."""
    made = {
        "import": dict(name="Import textures", command="import_textures('/Game/Props')", tags=["nightly"]),
        "render": dict(name=None, command="print('Render queue')"),
        "percent": dict(name="100% done", command="x = 1"),
        "under": dict(name="a_b", command="y = 2", tags=["nightly"]),
        "accent": dict(name="Élan", command="z = 3"),
        "slash": dict(name="path", command="open('C:\\\\Temp\\\\log.txt')"),
    }
    ids = {}
    for label, fields in made.items():
        clock.advance(1)
        run = history.create(RunKind.EDITOR, started=True, **fields)  # type: ignore[arg-type]
        history.finish(run.id, RunStatus.COMPLETED)
        ids[label] = run.id
    return ids


def found(history: RunHistory, ids: Dict[str, str], **query: object) -> List[str]:
    labels = {run_id: label for label, run_id in ids.items()}
    page = history.list(RunQuery(**query))  # type: ignore[arg-type]
    listed = [labels[run.id] for run in page.items]
    assert page.total_count >= len(listed)
    return listed


def test_text_matches_name_or_command_in_any_ascii_case(history: RunHistory, fake_clock: FakeClock) -> None:
    ids = fill(history, fake_clock)
    assert found(history, ids, text="TEXTURES") == ["import"]  # the name, and the command, in another case
    assert found(history, ids, text="render QUEUE") == ["render"]  # a run without a name: its command
    assert found(history, ids, text="/Game/") == ["import"]
    assert found(history, ids, text="nothing like it") == []


def test_wildcards_in_the_text_are_literal(history: RunHistory, fake_clock: FakeClock) -> None:
    ids = fill(history, fake_clock)
    assert found(history, ids, text="%") == ["percent"]
    assert found(history, ids, text="_") == ["under", "import"]
    assert found(history, ids, text="a_b") == ["under"]  # not "a" + any character + "b"
    assert found(history, ids, text="\\Temp") == ["slash"]


def test_only_ascii_letters_fold_case_in_both_stores(history: RunHistory, fake_clock: FakeClock) -> None:
    ids = fill(history, fake_clock)
    assert found(history, ids, text="Élan") == ["accent"]
    assert found(history, ids, text="élan") == []  # SQLite's LIKE folds ASCII only; the memory store agrees


def test_text_starts_of_an_id_find_the_run(history: RunHistory, fake_clock: FakeClock) -> None:
    ids = fill(history, fake_clock)
    assert found(history, ids, text=ids["render"][:8]) == ["render"]
    assert found(history, ids, text=ids["render"][:8].upper()) == ["render"]


def test_text_with_other_filters_counts_and_pages(history: RunHistory, fake_clock: FakeClock) -> None:
    ids = fill(history, fake_clock)
    assert found(history, ids, text="a", tag="nightly") == ["under", "import"]
    page = history.list(RunQuery(text="a", tag="nightly", limit=1, offset=1))
    assert ([run.id for run in page.items], page.total_count, page.has_more) == ([ids["import"]], 2, False)
    assert history.list(RunQuery(text="a", tag="none-such")).total_count == 0
    assert history.list(RunQuery(text="import", status=RunStatus.FAILED)).total_count == 0
    assert history.list(RunQuery(text="import", kind=RunKind.EDITOR)).total_count == 1


@pytest.mark.parametrize("text", ["a", "IMPORT", "%", "zz", "print("])
def test_a_page_is_every_match_newest_first(history: RunHistory, fake_clock: FakeClock, text: str) -> None:
    fill(history, fake_clock)
    everything = history.list(RunQuery(limit=1000)).items
    wanted = text.lower()
    expected = [run.id for run in everything
                if wanted in (run.name or "").lower() or wanted in run.command.lower() or run.id.startswith(wanted)]
    matched = history.list(RunQuery(text=text, limit=1000))
    assert [run.id for run in matched.items] == expected and matched.total_count == len(expected)
    second = history.list(RunQuery(text=text, limit=1, offset=1))
    assert [run.id for run in second.items] == expected[1:2]
    assert second.has_more is (len(expected) > 2)
