"""Workflow lines parsed without processes: the line grammar, progress values, splitting across chunks."""
from __future__ import annotations

from typing import List

import pytest

from bridge.commands import WorkflowCommand, WorkflowRecorder, WorkflowSplitter, parse_line
from bridge.commands.workflow import Piece, parse_progress
from bridge.runs import LogLevel, MemoryStore, RunHistory, RunKind, RunStatus, StepStatus


@pytest.mark.parametrize("line, expected", [
    ("::group::Cook content", WorkflowCommand("group", "Cook content")),
    ("::endgroup::", WorkflowCommand("endgroup", "")),
    ("::warning::low disk", WorkflowCommand("warning", "low disk")),
    ("::warning file=x.py,line=3::unused import", WorkflowCommand("warning", "unused import")),
    ("::error file=C:\\src\\a.cpp,line=3,col=7::C2065: undeclared", WorkflowCommand("error", "C2065: undeclared")),
    ("::notice::done", WorkflowCommand("notice", "done")),
    ("::debug::x=1", WorkflowCommand("debug", "x=1")),
    ("::progress::0.4\r", WorkflowCommand("progress", "0.4")),
    ("::error::two%0Alines 100%25", WorkflowCommand("error", "two\nlines 100%")),
    ("::error::a::b", WorkflowCommand("error", "a::b")),
])
def test_workflow_lines_are_recognised(line: str, expected: WorkflowCommand) -> None:
    assert parse_line(line) == expected


@pytest.mark.parametrize("line", ["plain output", "::set-output name=x::1", " ::group::indented", "::group:",
                                  "echo ::group::x", "::GROUP::x"])
def test_other_lines_are_output(line: str) -> None:
    assert parse_line(line) is None


@pytest.mark.parametrize("value, fraction", [("0.4", 0.4), ("40%", 0.4), (" 100% ", 1.0), ("0", 0.0), ("1", 1.0)])
def test_progress_takes_fractions_and_percentages(value: str, fraction: float) -> None:
    assert parse_progress(value) == pytest.approx(fraction)


@pytest.mark.parametrize("value", ["abc", "40", "-0.1", "150%", "nan", ""])
def test_bad_progress_says_what_to_write(value: str) -> None:
    with pytest.raises(ValueError, match="fraction"):
        parse_progress(value)


def test_a_command_split_across_chunks_is_parsed_once_whole_and_text_passes_at_once() -> None:
    splitter = WorkflowSplitter()
    pieces: List[Piece] = []
    pieces += splitter.feed("hello\n::gro")
    assert pieces == ["hello\n::gro"]  # the partial line is output already; not yet a command
    pieces += splitter.feed("up::Build\nmore")
    pieces += splitter.feed(" text\n::endgroup::")
    pieces += splitter.close()
    assert pieces == ["hello\n::gro", "up::Build\n", WorkflowCommand("group", "Build"), "more",
                      " text\n::endgroup::", WorkflowCommand("endgroup", "")]
    assert "".join(p for p in pieces if isinstance(p, str)) == "hello\n::group::Build\nmore text\n::endgroup::"


def _recorded(lines: List[str], status: RunStatus = RunStatus.COMPLETED) -> RunHistory:
    history = RunHistory(MemoryStore())
    run = history.create(RunKind.COMMAND, started=True, run_id="r")
    recorder = WorkflowRecorder(history, run.id)
    splitter = WorkflowSplitter()
    for piece in splitter.feed("".join(line + "\n" for line in lines)):
        if isinstance(piece, WorkflowCommand):
            recorder.apply(piece)
        else:
            history.output(run.id, piece)
    recorder.close()
    history.finish(run.id, status)
    return history


def test_groups_nest_and_an_error_fails_the_innermost_open_group() -> None:
    history = _recorded(["::group::outer", "::group::inner", "::error::broken", "::endgroup::", "::endgroup::",
                         "::group::left open", "::progress::nonsense"])
    record = history.get("r")
    assert record is not None
    outer, inner, left = record.steps
    assert [s.name for s in record.steps] == ["outer", "inner", "left open"]
    assert (outer.status, inner.status, left.status) == (StepStatus.COMPLETED, StepStatus.FAILED,
                                                         StepStatus.COMPLETED)
    assert inner.error_message == "broken"
    assert inner.metadata["parent_step_id"] == outer.id and "parent_step_id" not in outer.metadata
    logs = [(e.level, e.message, e.step_id) for e in record.logs]
    assert (LogLevel.ERROR, "broken", inner.id) in logs
    assert any(level is LogLevel.WARNING and "::progress:: ignored" in message for level, message, _ in logs)


def test_an_open_group_with_an_error_ends_failed_even_when_the_run_completes() -> None:
    record = _recorded(["::group::tests", "::error::1 failed"]).get("r")
    assert record is not None and record.steps[0].status is StepStatus.FAILED


def test_a_stray_endgroup_is_a_warning() -> None:
    record = _recorded(["::endgroup::"]).get("r")
    assert record is not None and not record.steps
    assert [e.level for e in record.logs] == [LogLevel.WARNING]
