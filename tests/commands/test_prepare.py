"""Request checks without processes: argv, working directory, environment, timeout."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bridge.commands import CommandRequest, InvalidCommand
from bridge.commands.prepare import command_argv, prepare, working_directory


def test_argv_is_split_like_a_shell_without_a_shell() -> None:
    assert command_argv("python -c 'print(1)' \"a b\"", shell=False) == ("python", "-c", "print(1)", "a b")
    assert command_argv("echo $HOME; rm", shell=True) == ("/bin/sh", "-c", "echo $HOME; rm")


@pytest.mark.parametrize("command, message", [
    ("", "empty"), ("   ", "empty"), ("echo 'unclosed", "close the quote"), ("''", None),
])
def test_unrunnable_commands_say_what_to_fix(command: str, message: str) -> None:
    with pytest.raises(InvalidCommand, match=message or "program"):
        command_argv(command, shell=False)


def test_working_directory_defaults_to_the_project_and_may_be_below_it_or_an_allowed_one(tmp_path: Path) -> None:
    project, extra = tmp_path / "project", tmp_path / "extra"
    (project / "sub").mkdir(parents=True)
    extra.mkdir()
    assert working_directory(None, project, []) == os.path.realpath(project)
    assert working_directory("sub", project, []) == os.path.realpath(project / "sub")
    assert working_directory(str(extra), project, [extra]) == os.path.realpath(extra)


def test_working_directory_outside_names_the_allowed_ones(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    with pytest.raises(InvalidCommand, match="outside the directories") as error:
        working_directory(str(tmp_path), project, [])
    assert str(os.path.realpath(project)) in str(error.value)
    with pytest.raises(InvalidCommand, match="outside"):
        working_directory("../", project, [])


def test_a_symlink_out_of_the_project_is_outside(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "escape").symlink_to(elsewhere)
    with pytest.raises(InvalidCommand, match="outside"):
        working_directory("escape", project, [])


def test_a_missing_directory_or_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(InvalidCommand, match="does not exist"):
        working_directory("nowhere", tmp_path, [])
    with pytest.raises(InvalidCommand, match="is not a directory"):
        working_directory("file", tmp_path, [])


@pytest.mark.parametrize("environment, message", [
    ({"N": 1}, "must be a string, got int"), ({"N": None}, "must be a string"), ({"": "x"}, "not valid"),
    ({"A=B": "x"}, "not valid"), ({"N": "a\0b"}, "NUL"),
])
def test_environment_values_must_be_strings(tmp_path: Path, environment: dict, message: str) -> None:
    with pytest.raises(InvalidCommand, match=message):
        prepare(CommandRequest("true", environment=environment), tmp_path, [], 60)


def test_environment_is_merged_over_the_servers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FROM_SERVER", "1")
    prepared = prepare(CommandRequest("true", environment={"EXTRA": "2"}), tmp_path, [], 60)
    assert (prepared.environment["FROM_SERVER"], prepared.environment["EXTRA"]) == ("1", "2")


@pytest.mark.parametrize("timeout", [0, -1, 61, float("inf"), float("nan"), True, "5"])
def test_timeout_must_be_positive_and_at_most_the_setting(tmp_path: Path, timeout: object) -> None:
    with pytest.raises(InvalidCommand, match="timeout"):
        prepare(CommandRequest("true", timeout=timeout), tmp_path, [], 60)  # type: ignore[arg-type]


def test_timeout_defaults_to_the_setting(tmp_path: Path) -> None:
    assert prepare(CommandRequest("true"), tmp_path, [], 60).timeout == 60
    assert prepare(CommandRequest("true", timeout=2.5), tmp_path, [], 60).timeout == 2.5
