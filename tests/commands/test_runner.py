"""Commands as real subprocesses: exit statuses, argv and shell, environment, live output, limits, stopping."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List

import pytest

from bridge.commands import CommandRequest, CommandRunner, InvalidCommand
from bridge.runs import LogEntry, RunHistory, RunKind, RunNotFound, RunStatus, StepStatus, StopReason
from bridge.runs.control import RunControl
from bridge.runs.events import OutputAdded
from bridge.runs.settings import HistorySettings

from .conftest import MARKER, eventually, marked, none_left, py

FOREVER = "sleep 1000 & echo ready; wait"  # a shell with a background child, running until stopped


def output_of(history: RunHistory, run_id: str) -> str:
    record = history.get(run_id)
    assert record is not None
    return record.output


async def test_a_command_that_succeeds_is_completed_with_its_output(runner: CommandRunner,
                                                                    history: RunHistory) -> None:
    started = await runner.start(CommandRequest(py("print('hi'); import sys; print('oops', file=sys.stderr)"),
                                                name="hello", tags=("t",), metadata={"k": 1}, user="ann"))
    assert started.kind is RunKind.COMMAND and started.status is RunStatus.RUNNING
    run = await runner.wait(started.id)
    assert (run.status, run.exit_code, run.error_message) == (RunStatus.COMPLETED, 0, None)
    assert (run.name, run.tags, run.metadata, run.user, run.timeout) == ("hello", ("t",), {"k": 1}, "ann", 60)
    assert sorted(output_of(history, run.id).splitlines()) == ["hi", "oops"]
    assert runner.running() == ()


async def test_a_non_zero_exit_is_failed_with_its_code(runner: CommandRunner) -> None:
    run = await runner.wait((await runner.start(CommandRequest(py("raise SystemExit(3)")))).id)
    assert (run.status, run.exit_code, run.error_message) == (RunStatus.FAILED, 3, "exited with code 3")


async def test_a_signal_death_is_failed_with_the_signal_named(runner: CommandRunner) -> None:
    run = await runner.wait((await runner.start(CommandRequest("kill -SEGV $$", shell=True))).id)
    assert (run.status, run.exit_code, run.error_message) == (RunStatus.FAILED, -11, "killed by signal SIGSEGV")


async def test_a_missing_program_is_a_failed_run_not_an_exception(runner: CommandRunner) -> None:
    run = await runner.start(CommandRequest("no-such-program-here --flag"))
    assert (run.status, run.exit_code) == (RunStatus.FAILED, 127)
    assert run.error_message is not None and "no-such-program-here" in run.error_message
    assert (await runner.wait(run.id)).status is RunStatus.FAILED


async def test_invalid_requests_raise_and_record_nothing(runner: CommandRunner, history: RunHistory) -> None:
    for request in (CommandRequest("echo 'unclosed"), CommandRequest(""),
                    CommandRequest("true", environment={"N": 1}),  # type: ignore[dict-item]
                    CommandRequest("true", working_directory="/"), CommandRequest("true", timeout=61)):
        with pytest.raises(InvalidCommand):
            await runner.start(request)
    assert history.live() == ()


async def test_no_shell_unless_asked(runner: CommandRunner) -> None:
    env = {"HOME": "/home/from-the-request"}
    literal = await runner.wait((await runner.start(CommandRequest("echo $HOME", environment=env))).id)
    expanded = await runner.wait((await runner.start(CommandRequest("echo $HOME", environment=env, shell=True))).id)
    assert output_of(runner.history, literal.id) == "$HOME\n"
    assert output_of(runner.history, expanded.id) == "/home/from-the-request\n"


async def test_the_environment_reaches_the_child_over_the_servers(runner: CommandRunner) -> None:
    code = "import os; print(os.environ['EXTRA'], 'PATH' in os.environ)"
    run = await runner.wait((await runner.start(CommandRequest(py(code), environment={"EXTRA": "yes"}))).id)
    assert output_of(runner.history, run.id) == "yes True\n"
    assert run.environment == {"EXTRA": "yes"}  # the server's own environment is not recorded


async def test_working_directory_is_the_project_or_below_it(runner: CommandRunner, project: Path,
                                                            tmp_path: Path) -> None:
    (project / "sub").mkdir()
    default = await runner.wait((await runner.start(CommandRequest(py("import os; print(os.getcwd())")))).id)
    below = await runner.wait((await runner.start(CommandRequest(py("import os; print(os.getcwd())"),
                                                                 working_directory="sub"))).id)
    assert output_of(runner.history, default.id).strip() == os.path.realpath(project)
    assert output_of(runner.history, below.id).strip() == os.path.realpath(project / "sub")
    assert below.working_directory == os.path.realpath(project / "sub")
    (project / "escape").symlink_to(tmp_path)
    for outside in (str(tmp_path), "escape", "../"):
        with pytest.raises(InvalidCommand, match="outside"):
            await runner.start(CommandRequest("true", working_directory=outside))
    with pytest.raises(InvalidCommand, match="does not exist"):
        await runner.start(CommandRequest("true", working_directory="missing"))


async def test_command_directories_are_allowed_too(history: RunHistory, project: Path, tmp_path: Path) -> None:
    other = tmp_path / "engine"
    other.mkdir()
    commands = CommandRunner(history, HistorySettings(command_directories=[other]), project)
    run = await commands.wait((await commands.start(CommandRequest("pwd", working_directory=str(other)))).id)
    assert output_of(history, run.id).strip() == os.path.realpath(other)


async def test_output_arrives_while_the_command_still_runs(runner: CommandRunner, tmp_path: Path) -> None:
    release = tmp_path / "release"
    code = ("import os, sys, time\nprint('first line', flush=True)\n"
            "while not os.path.exists(sys.argv[1]): time.sleep(0.01)\nprint('second line')")
    run = await runner.start(CommandRequest(py(code, str(release))))
    await eventually(lambda: "first line" in output_of(runner.history, run.id))
    assert runner.history.run(run.id).status is RunStatus.RUNNING
    assert "second line" not in output_of(runner.history, run.id)
    release.touch()
    assert (await runner.wait(run.id)).status is RunStatus.COMPLETED
    assert output_of(runner.history, run.id) == "first line\nsecond line\n"


async def test_a_timeout_keeps_the_output_and_kills_grandchildren(runner: CommandRunner, marker: str) -> None:
    run = await runner.start(CommandRequest("sleep 1000 & echo partial; wait", shell=True, timeout=1,
                                            environment={MARKER: marker}))
    ended = await runner.wait(run.id)
    assert (ended.status, ended.stop_reason) == (RunStatus.FAILED, StopReason.TIMEOUT)
    assert ended.error_message is not None and "timeout" in ended.error_message
    assert output_of(runner.history, run.id) == "partial\n"
    assert await none_left(marker), "a process of the command outlived its timeout"


async def test_cancel_kills_the_whole_group(runner: CommandRunner, marker: str) -> None:
    run = await runner.start(CommandRequest(FOREVER, shell=True, environment={MARKER: marker}))
    await eventually(lambda: "ready" in output_of(runner.history, run.id) and len(marked(marker)) >= 2)
    assert await runner.cancel(run.id) is True
    ended = runner.history.run(run.id)
    assert (ended.status, ended.stop_reason) == (RunStatus.CANCELLED, StopReason.CANCEL)
    assert output_of(runner.history, run.id) == "ready\n"
    assert await none_left(marker)
    assert await runner.cancel(run.id) is True  # stopped already
    with pytest.raises(RunNotFound):
        await runner.cancel("no-such-run")


async def test_a_group_that_ignores_sigterm_is_killed_after_the_grace(runner: CommandRunner, marker: str) -> None:
    run = await runner.start(CommandRequest("trap '' TERM; sleep 1000 & echo ready; wait", shell=True,
                                            environment={MARKER: marker}))
    await eventually(lambda: "ready" in output_of(runner.history, run.id))
    await runner.cancel(run.id)
    assert runner.history.run(run.id).status is RunStatus.CANCELLED
    assert await none_left(marker)


async def test_what_a_command_leaves_running_ends_with_it(runner: CommandRunner, marker: str) -> None:
    run = await runner.start(CommandRequest("sleep 1000 & echo bye", shell=True, environment={MARKER: marker}))
    ended = await runner.wait(run.id)  # does not wait for the background sleep, which holds the pipes
    assert (ended.status, ended.exit_code) == (RunStatus.COMPLETED, 0)
    assert await none_left(marker)


async def test_close_ends_running_commands_as_shutdown(history: RunHistory, project: Path, marker: str) -> None:
    commands = CommandRunner(history, HistorySettings(), project, kill_grace=0.5)
    runs = [await commands.start(CommandRequest(FOREVER, shell=True, environment={MARKER: marker}))
            for _ in range(2)]
    await eventually(lambda: all("ready" in output_of(history, r.id) for r in runs))
    await commands.close()
    for run in runs:
        ended = history.run(run.id)
        assert (ended.status, ended.stop_reason) == (RunStatus.CANCELLED, StopReason.SHUTDOWN)
    assert await none_left(marker)
    with pytest.raises(RuntimeError, match="closed"):
        await commands.start(CommandRequest("true"))


async def test_too_much_output_kills_the_command(history: RunHistory, project: Path) -> None:
    commands = CommandRunner(history, HistorySettings(), project, output_limit=10_000)
    run = await commands.start(CommandRequest(py("while True: print('x' * 99, flush=True)")))
    ended = await commands.wait(run.id)
    assert (ended.status, ended.stop_reason, ended.output_truncated) == (RunStatus.FAILED, StopReason.OUTPUT_LIMIT,
                                                                         True)
    output = output_of(history, run.id)
    assert len(output) == 10_000 and set(output) == {"x", "\n"}


async def test_the_historys_cap_stops_a_command_too(project: Path) -> None:
    from bridge.runs import MemoryStore

    history = RunHistory(MemoryStore(), output_limit=5_000)
    commands = CommandRunner(history, HistorySettings(), project)
    ended = await commands.wait((await commands.start(CommandRequest(py("while True: print('y' * 99)")))).id)
    assert (ended.stop_reason, len(output_of(history, ended.id))) == (StopReason.OUTPUT_LIMIT, 5_000)


async def test_workflow_lines_become_steps_logs_and_progress(runner: CommandRunner, history: RunHistory) -> None:
    lines: List[LogEntry] = []
    history.bus.subscribe(lambda event: lines.extend(event.lines) if isinstance(event, OutputAdded) else None)
    script = "\n".join([
        "echo ::group::Compile", "echo compiling", "echo ::group::Shaders", "echo '::warning file=a.usf,line=3::slow'",
        "echo ::endgroup::", "echo ::progress::50%", "echo ::endgroup::",
        "echo ::group::Test", "echo ::error::2 tests failed", "echo ::endgroup::",
        "echo ::progress::bogus", "echo ::group::Package", "echo ::notice::still packaging",
    ])
    run = await runner.wait((await runner.start(CommandRequest(script, shell=True))).id)
    record = history.get(run.id)
    assert record is not None and run.status is RunStatus.COMPLETED
    compile_, shaders, test, package = record.steps
    assert [s.name for s in record.steps] == ["Compile", "Shaders", "Test", "Package"]
    assert [s.status for s in record.steps] == [StepStatus.COMPLETED, StepStatus.COMPLETED, StepStatus.FAILED,
                                                StepStatus.COMPLETED]  # Package was left open: it ends with the run
    assert shaders.metadata == {"parent_step_id": compile_.id} and "parent_step_id" not in test.metadata
    assert test.error_message == "2 tests failed"
    assert run.progress == 0.5 and (run.total_steps, run.completed_steps) == (4, 3)
    logs = {(e.level.value, e.message): e.step_id for e in record.logs if e.stream == "log"}
    assert logs[("warning", "slow")] == shaders.id
    assert logs[("error", "2 tests failed")] == test.id
    assert logs[("info", "still packaging")] == package.id
    assert any(level == "warning" and "bogus" in message for level, message in logs)
    assert "::group::Compile\ncompiling\n" in record.output  # workflow lines stay in the output
    # what a step prints is shown (live) as that step's lines
    assert [e.step_id for e in lines if e.message == "compiling"] == [compile_.id]


async def test_run_control_cancels_commands_through_the_runner(runner: CommandRunner) -> None:
    control = RunControl()
    control.register(RunKind.COMMAND, runner.cancel)
    run = await runner.start(CommandRequest(FOREVER, shell=True))
    await eventually(lambda: "ready" in output_of(runner.history, run.id))
    assert await control.cancel(runner.history.run(run.id)) is True
    assert runner.history.run(run.id).status is RunStatus.CANCELLED


async def test_undecodable_output_is_replaced_not_fatal(runner: CommandRunner) -> None:
    code = "import sys; sys.stdout.buffer.write(b'caf\\xc3\\xa9 \\xff\\n')"
    run = await runner.wait((await runner.start(CommandRequest(py(code)))).id)
    assert output_of(runner.history, run.id) == "caf\u00e9 \ufffd\n"


def test_runs_on_this_python() -> None:
    assert sys.version_info >= (3, 9)
