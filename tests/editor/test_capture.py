"""OutputRouter without HTTP: a routed thread's prints, `unreal.log*` and slow tasks go to its run, live."""
from __future__ import annotations

import io
import sys
import threading
from typing import Iterator, List

import pytest

import mock_unreal
from bridge.editor.capture import LOG_ECHO_STREAM, OutputRouter
from bridge.editor.current import RunContext
from bridge.editor.slowtask import SlowTaskProgress, overall_progress
from bridge.runs import LogLevel, MemoryStore, RunHistory, RunKind, StepStatus
from bridge.runs.events import OutputAdded, RunChanged, RunEvent

unreal = mock_unreal.install()


ROUTERS: List[OutputRouter] = []


@pytest.fixture
def routed() -> Iterator[RunContext]:
    """A running run, with this thread routed to it through a router installed on the mock `unreal`."""
    history = RunHistory(MemoryStore())
    run = history.create(RunKind.EDITOR, started=True)
    router = OutputRouter()
    router.install(unreal)
    context = RunContext(history, run.id)
    router.begin(context)
    ROUTERS.append(router)
    try:
        yield context
    finally:
        ROUTERS.remove(router)
        router.end()
        router.uninstall()


def reroute(context: RunContext) -> None:
    """pytest swaps sys.stdout between set-up and the test; run_job re-wraps the streams at each job start too."""
    ROUTERS[-1].begin(context)


def test_prints_reach_the_run_as_they_are_written_and_the_console_too(
    routed: RunContext, capsys: pytest.CaptureFixture[str]
) -> None:
    reroute(routed)
    seen: List[RunEvent] = []
    routed.history.bus.subscribe(seen.append)
    print("one")
    assert [e.text for e in seen if isinstance(e, OutputAdded)] == ["one", "\n"]  # before the run ends
    print("oops", file=sys.stderr)
    record = routed.history.get(routed.run_id)
    assert record is not None and record.output == "one\noops\n"
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("one\n", "oops\n")


def test_other_threads_never_print_into_the_job(routed: RunContext) -> None:
    reroute(routed)
    thread = threading.Thread(target=print, args=("from elsewhere",))
    thread.start()
    thread.join()
    print("mine")
    record = routed.history.get(routed.run_id)
    assert record is not None and record.output == "mine\n"


def test_unreal_log_levels_become_log_entries_and_output(routed: RunContext) -> None:
    seen: List[RunEvent] = []
    routed.history.bus.subscribe(seen.append)
    unreal.log("plain")
    unreal.log_warning("careful")
    unreal.log_error("broken")
    record = routed.history.get(routed.run_id)
    assert record is not None
    assert [(e.level, e.message) for e in record.logs] == [
        (LogLevel.INFO, "plain"), (LogLevel.WARNING, "careful"), (LogLevel.ERROR, "broken"),
    ]
    assert record.output == "plain\nWarning: careful\nError: broken\n"
    echoed = [line for e in seen if isinstance(e, OutputAdded) for line in e.lines]
    assert {line.stream for line in echoed} == {LOG_ECHO_STREAM}  # a viewer can show each line once


def test_a_job_reads_end_of_file_from_stdin(routed: RunContext) -> None:
    reroute(routed)
    assert sys.stdin.readline() == ""
    with pytest.raises(io.UnsupportedOperation):
        sys.stdin.fileno()


def test_uninstall_gives_unreal_its_own_functions_back() -> None:
    originals = unreal.log, unreal.ScopedSlowTask
    router = OutputRouter()
    router.install(unreal)
    assert unreal.ScopedSlowTask is not originals[1] and unreal.ScopedSlowTask.__name__ == "ScopedSlowTask"
    router.uninstall()
    assert (unreal.log, unreal.ScopedSlowTask) == originals


def test_nested_slow_tasks_are_nested_steps_and_move_the_progress(routed: RunContext) -> None:
    reported: List[float] = []

    def progress(event: RunEvent) -> None:
        value = event.run.progress if isinstance(event, RunChanged) else None
        if value is not None and (not reported or reported[-1] != value):
            reported.append(value)

    routed.history.bus.subscribe(progress)
    with unreal.ScopedSlowTask(4, "Import textures") as task:
        task.make_dialog(True)  # delegated to the editor's own object
        for i in range(4):
            task.enter_progress_frame(1, f"texture {i}")
            if i == 1:
                with unreal.ScopedSlowTask(2, "Compress") as inner:
                    inner.enter_progress_frame(1)
                    inner.enter_progress_frame(1)
        assert task.should_cancel() is False
    record = routed.history.get(routed.run_id)
    assert record is not None
    outer, inner_step = record.steps
    assert (outer.name, outer.status, inner_step.name, inner_step.status) == (
        "Import textures", StepStatus.COMPLETED, "Compress", StepStatus.COMPLETED,
    )
    assert inner_step.metadata["parent_step_id"] == outer.id
    assert reported == [0.0, 0.25, 0.375, 0.5, 0.75, 1.0]
    assert routed.steps == [] and routed.slow_tasks == []


def test_a_slow_task_left_by_an_exception_is_a_failed_step(routed: RunContext) -> None:
    with pytest.raises(RuntimeError), unreal.ScopedSlowTask(3, "Cook") as task:
        task.enter_progress_frame(1)
        raise RuntimeError("out of disk")
    record = routed.history.get(routed.run_id)
    assert record is not None
    (step,) = record.steps
    assert step.status is StepStatus.FAILED and step.error_message == "RuntimeError: out of disk"


def test_outside_a_job_a_slow_task_is_only_the_editor_s() -> None:
    router = OutputRouter()
    router.install(unreal)
    try:
        with unreal.ScopedSlowTask(2, "Unrouted") as task:
            task.enter_progress_frame(2)
    finally:
        router.uninstall()
    with pytest.raises(ValueError, match="work must be at least 0"):  # the real class still decides
        router.install(unreal)
        try:
            unreal.ScopedSlowTask(-1)
        finally:
            router.uninstall()


def test_overall_progress_subdivides_the_outer_frame() -> None:
    assert overall_progress([]) == 0.0
    outer = SlowTaskProgress(10, completed_work=2, current_frame=2)
    assert overall_progress([outer]) == pytest.approx(0.2)
    assert overall_progress([outer, SlowTaskProgress(4, completed_work=2, current_frame=1)]) == pytest.approx(0.3)
    assert overall_progress([SlowTaskProgress(0)]) == 0.0
