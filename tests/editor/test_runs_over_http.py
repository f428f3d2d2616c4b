"""Editor and script jobs are runs in the history, through the real headless server over real HTTP."""
from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any, Callable, Dict, List

import aiohttp

from bridge.host import BridgeHost
from bridge.runs import LogLevel, RunKind, RunStatus, StepStatus, StopReason
from bridge.runs.events import Change, LogAdded, RunChanged, RunEvent
from mock_unreal.testing import MockProject, unreal_project

from ..conftest import BridgeFactory
from ..core.helpers import execute, job, wait_for_status

__all__ = ["unreal_project"]

WAIT_FOR_GATE = "import time\nwhile not gate.is_set():\n    time.sleep(0.002)\n"


def gate_session(host: BridgeHost, gate: threading.Event, name: str = "gated") -> str:
    host.runner.sessions.globals_for(name)["gate"] = gate
    return name


class HoldGameThread:
    """A history subscriber that holds the game thread at the first event `when(event)` picks."""

    def __init__(self, host: BridgeHost, when: Callable[[RunEvent], bool]) -> None:
        self.when = when
        self.reached = threading.Event()
        self.release = threading.Event()
        self.unsubscribe = host.history.bus.subscribe(self._on_event)

    def _on_event(self, event: RunEvent) -> None:
        if not self.reached.is_set() and self.when(event):
            self.reached.set()
            self.release.wait(10)

    def close(self) -> None:
        self.release.set()
        self.unsubscribe()


async def until(check: Callable[[], bool]) -> None:
    for _ in range(2000):
        if check():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("never happened")


async def test_an_editor_run_is_recorded_with_who_labels_output_and_logs(
    bridge: BridgeHost, http: aiohttp.ClientSession
) -> None:
    code = "import unreal\nprint('hello')\nunreal.log_warning('careful')\n'done'"
    reply = await execute(http, code, tags=["nightly", "lighting"], metadata={"ticket": 42}, session_id="s-1",
                          timeout=9, name="bake")
    assert reply["_status"] == 200 and reply["result"] == "'done'"
    record = bridge.history.get(reply["job_id"])
    assert record is not None
    run = record.run
    assert (run.kind, run.status, run.user, run.name, run.command) == (
        RunKind.EDITOR, RunStatus.COMPLETED, "local", "bake", code,
    )
    assert (run.tags, run.metadata, run.session_id, run.timeout) == (
        ("nightly", "lighting"), {"ticket": 42, "mode": "exec"}, "s-1", 9,
    )
    assert run.started_at is not None and run.completed_at is not None and run.result == "'done'"
    assert record.output == "hello\nWarning: careful\n"
    assert (LogLevel.WARNING, "careful") in [(e.level, e.message) for e in record.logs]
    failed = await execute(http, "raise ValueError('bad input')")
    broken = bridge.history.run(failed["job_id"])
    assert (broken.status, broken.error_type, broken.error_message) == (
        RunStatus.FAILED, "ValueError", "ValueError: bad input",
    )
    assert broken.traceback is not None and "bad input" in broken.traceback


async def test_a_reserved_metadata_key_is_refused(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "1", metadata={"mode": "fast"})
    assert reply["_status"] == 400 and reply["error_code"] == "INVALID_REQUEST"
    assert "reserved" in reply["error"]


async def test_steps_and_progress_from_bridge_step_and_slow_tasks(
    bridge: BridgeHost, http: aiohttp.ClientSession
) -> None:
    code = (
        "import bridge, unreal\n"
        "with bridge.step('Import textures', estimated_duration=30):\n"
        "    with unreal.ScopedSlowTask(2, 'Compress') as task:\n"
        "        task.enter_progress_frame(1, 'T_Rock')\n"
        "        task.enter_progress_frame(1, 'T_Bark')\n"
        "try:\n"
        "    with bridge.step('Validate', stop_on_error=False):\n"
        "        raise ValueError('T_Bark has no mips')\n"
        "except ValueError:\n"
        "    print('validation failed, going on')\n"
        "with bridge.step('Save'):\n"
        "    bridge.progress(0.9)\n"
    )
    reply = await execute(http, code)
    assert reply["status"] == "completed", reply
    record = bridge.history.get(reply["job_id"])
    assert record is not None
    steps = [(s.name, s.status, s.error_message) for s in record.steps]
    assert steps == [
        ("Import textures", StepStatus.COMPLETED, None),
        ("Compress", StepStatus.COMPLETED, None),
        ("Validate", StepStatus.FAILED, "ValueError: T_Bark has no mips"),
        ("Save", StepStatus.COMPLETED, None),
    ]
    assert record.steps[1].metadata["parent_step_id"] == record.steps[0].id
    assert record.steps[0].estimated_duration == 30
    assert (record.run.total_steps, record.run.completed_steps, record.run.progress) == (4, 3, 0.9)


async def test_an_unhandled_error_in_a_step_fails_the_step_and_the_run(
    bridge: BridgeHost, http: aiohttp.ClientSession
) -> None:
    reply = await execute(http, "import bridge\nwith bridge.step('Cook'):\n    1 / 0\n")
    assert reply["status"] == "failed" and reply["error_type"] == "ZeroDivisionError"
    record = bridge.history.get(reply["job_id"])
    assert record is not None
    (step,) = record.steps
    assert step.status is StepStatus.FAILED and step.error_message == "ZeroDivisionError: division by zero"


async def test_a_cancel_while_the_job_compiles_is_not_dropped(
    bridge: BridgeHost, http: aiohttp.ClientSession
) -> None:
    gate = threading.Event()
    session = gate_session(bridge, gate, "held-at-start")
    # Picked by its session: the job may start before the reply with its id arrives.
    hold = HoldGameThread(bridge, lambda e: isinstance(e, RunChanged) and e.change is Change.STARTED
                          and e.run.session_id == session)
    try:
        reply = await execute(http, WAIT_FOR_GATE, session_id=session, timeout=60, **{"async": True})
        handle = bridge.runner.job(reply["job_id"])
        assert handle is not None
        await until(hold.reached.is_set)  # running, not yet interruptible
        cancelling = asyncio.ensure_future(http.delete("/api/v1/python/job", params={"id": reply["job_id"]}))
        await until(lambda: handle.stop_reason is StopReason.CANCEL)
        hold.release.set()
        async with await cancelling as response:
            body = await response.json()
    finally:
        hold.close()
        gate.set()
    assert response.status == 200 and body["status"] == "cancelled", body
    assert body["message"] == f"Job '{reply['job_id']}' has been cancelled"
    assert (await job(http, reply["job_id"]))["status"] == "cancelled"


async def test_a_job_that_completes_during_the_cancel_is_not_called_cancelled(
    bridge: BridgeHost, http: aiohttp.ClientSession
) -> None:
    target: List[str] = []
    hold = HoldGameThread(bridge, lambda e: isinstance(e, LogAdded) and e.run_id in target
                          and e.entry.message == "Script completed")
    try:
        gate = threading.Event()
        session = gate_session(bridge, gate)
        reply = await execute(http, WAIT_FOR_GATE, session_id=session, timeout=60, **{"async": True})
        target.append(reply["job_id"])
        handle = bridge.runner.job(reply["job_id"])
        assert handle is not None
        gate.set()
        await until(hold.reached.is_set)  # its code has returned; its end is not recorded yet
        cancelling = asyncio.ensure_future(http.delete("/api/v1/python/job", params={"id": reply["job_id"]}))
        await until(lambda: handle.stop_reason is StopReason.CANCEL)
        hold.release.set()
        async with await cancelling as response:
            body = await response.json()
    finally:
        hold.close()
    assert response.status == 400 and body["error_code"] == "JOB_ALREADY_FINISHED", body
    assert body["error"] == f"Job '{reply['job_id']}' completed on its own before the cancellation took effect"
    assert (await job(http, reply["job_id"]))["status"] == "completed"


async def test_a_sync_timeout_bounds_the_wait_in_the_queue(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    gate = threading.Event()
    session = gate_session(bridge, gate)
    try:
        blocker = await execute(http, WAIT_FOR_GATE, session_id=session, timeout=60, **{"async": True})
        await wait_for_status(http, blocker["job_id"], "running")
        queued = await execute(http, "print('my turn')", timeout=0.3)
        assert queued["_status"] == 202, queued
        assert (queued["success"], queued["status"], queued["timed_out"]) == (False, "pending", True)
        assert "queue" in queued["message"] and queued["job_id"] in queued["message"]
        assert (await job(http, queued["job_id"]))["status"] == "pending"
    finally:
        gate.set()
    detail = await wait_for_status(http, queued["job_id"], "completed", "failed", "cancelled")
    assert detail["status"] == "completed" and detail["output"] == "my turn\n"  # it ran when its turn came


async def test_cancel_on_timeout_cancels_a_job_still_in_the_queue(
    bridge: BridgeHost, http: aiohttp.ClientSession
) -> None:
    gate = threading.Event()
    session = gate_session(bridge, gate)
    try:
        blocker = await execute(http, WAIT_FOR_GATE, session_id=session, timeout=60, **{"async": True})
        await wait_for_status(http, blocker["job_id"], "running")
        queued = await execute(http, "print('never')", timeout=0.3, cancel_on_timeout=True)
    finally:
        gate.set()
    assert queued["_status"] == 200, queued
    assert (queued["success"], queued["status"], queued["timed_out"]) == (False, "cancelled", True)
    assert "cancel_on_timeout" in queued["error"] and queued["error_type"] == "Cancelled"
    await wait_for_status(http, blocker["job_id"], "completed")
    detail = await job(http, queued["job_id"])
    assert detail["status"] == "cancelled" and detail["started_at"] is None and detail["output"] == ""
    run = bridge.history.run(queued["job_id"])
    assert run.stop_reason is StopReason.TIMEOUT


async def test_a_job_whose_handle_was_evicted_is_read_from_the_history(start_bridge: BridgeFactory) -> None:
    host = start_bridge(job_max_kept=1)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        first = await execute(http, "import unreal\nprint('kept')\nunreal.log_error('noted')\n'first'",
                              mode="exec", session_id="s")
        for _ in range(3):
            await execute(http, "pass")
        assert host.runner.job(first["job_id"]) is None
        detail = await job(http, first["job_id"])
    assert detail["status"] == "completed" and detail["output"] == "kept\nError: noted\n"
    assert detail["result"] == "'first'" and detail["mode"] == "exec" and detail["session_id"] == "s"
    assert [e["level"] for e in detail["logs"]] == ["info", "error", "info"]
    assert detail["ended_at"].endswith("Z") and "error" not in detail


async def test_the_job_list_comes_from_the_history(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    done = await execute(http, "1")
    async with http.get("/api/v1/python/jobs") as response:
        jobs: List[Dict[str, Any]] = (await response.json())["jobs"]
    assert jobs[0]["id"] == done["job_id"] and jobs[0]["kind"] == "python" and jobs[0]["status"] == "completed"
    trace_run = bridge.history.create(RunKind.TRACE, started=True)  # another kind: not an editor job
    async with http.get("/api/v1/python/jobs") as response:
        assert trace_run.id not in [j["id"] for j in (await response.json())["jobs"]]
    async with http.get("/api/v1/python/job", params={"id": trace_run.id}) as response:
        assert response.status == 404


async def test_a_script_run_is_a_script_run_with_its_call_and_its_screenshot(
    unreal_project: MockProject, bridge: BridgeHost, http: aiohttp.ClientSession
) -> None:
    unreal_project.seed({"level": "/Game/Maps/L_Test"})
    assert bridge.runner.artifacts is bridge.artifact_files  # the host's own store
    params = {"width": 64, "height": 32, "filename": "hero.png"}
    async with http.post("/api/v1/scripts/take_screenshot/run", json={"params": params, "tags": ["shots"]}) as r:
        reply = await r.json()
    assert r.status == 200 and reply["success"] is True, reply
    run = bridge.history.run(reply["job_id"])
    assert (run.kind, run.name, run.tags) == (RunKind.SCRIPT, "take_screenshot", ("shots",))
    assert run.command == "take_screenshot(width=64, height=32, filename='hero.png', camera_label=None)"
    record = bridge.history.get(run.id)
    assert record is not None
    (image,) = record.artifacts
    stored = bridge.artifact_files.path_of(image).read_bytes()
    assert (image.name, image.artifact_type.value, image.mime_type, image.file_size) == (
        "hero.png", "image", "image/png", len(stored),
    )
    assert stored.startswith(b"\x89PNG") and image.description == "64x32 screenshot"
    assert reply["result"]["artifact_id"] == image.id and Path(reply["result"]["path"]).name == "hero.png"


async def test_bridge_artifact_keeps_a_file_of_the_innermost_step(
    bridge: BridgeHost, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    report.write_text('{"ok": true}', encoding="utf-8")
    code = (
        "import bridge\n"
        "with bridge.step('Report') as step:\n"
        f"    kept = bridge.artifact({str(report)!r}, artifact_type='data', tags=('nightly',))\n"
        "kept.step_id == step.id\n"
    )
    reply = await execute(http, code)
    assert reply["result"] == "True", reply
    record = bridge.history.get(reply["job_id"])
    assert record is not None
    (kept,) = record.artifacts
    assert (kept.name, kept.artifact_type.value, kept.tags, kept.step_id) == (
        "report.json", "data", ("nightly",), record.steps[0].id,
    )
    assert bridge.artifact_files.path_of(kept).read_bytes() == b'{"ok": true}'


async def test_a_slow_task_left_open_by_one_job_does_not_break_the_next(
    bridge: BridgeHost, http: aiohttp.ClientSession
) -> None:
    first = await execute(http, "import unreal\ntask = unreal.ScopedSlowTask(2, 'Long')\ntask.__enter__()",
                          session_id="open-task")
    later = await execute(http, "task.enter_progress_frame(1)\ntask.__exit__(None, None, None)",
                          session_id="open-task")
    assert later["status"] == "completed", later
    record = bridge.history.get(first["job_id"])
    assert record is not None
    (step,) = record.steps
    assert step.name == "Long" and step.status is StepStatus.COMPLETED  # ended with its run
