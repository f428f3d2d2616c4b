"""The engine's own warnings and errors in the editor log are attached to the job that ran then."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp

from bridge.editor.logtail import EngineLogTail, parse_line
from bridge.runs import LogLevel, MemoryStore, RunHistory, RunKind, RunStatus
from mock_unreal.testing import MockProject

from ..conftest import BridgeFactory
from ..core.helpers import execute, job


def test_parse_line_keeps_engine_warnings_and_errors_only() -> None:
    now = time.time()
    entry = parse_line("[2026.01.25-10.30.00:123][ 42]LogTexture: Warning: T_Big is 16384 wide", now)
    assert entry is not None and entry.level is LogLevel.WARNING
    assert entry.message == "LogTexture: T_Big is 16384 wide"
    assert entry.time == now  # the stamp is far from now: not trusted, the read time is used
    error = parse_line("LogShaderCompilers: Error: M_Broken failed to compile\r", now)
    assert error is not None and error.level is LogLevel.ERROR
    assert parse_line("LogPython: Warning: already captured by the bridge", now) is None
    assert parse_line("LogInit: Display: nothing to see", now) is None
    assert parse_line("LogTemp: fine", now) is None


def test_parse_line_uses_a_plausible_utc_stamp() -> None:
    stamp = 1769337000.5  # 2026-01-25 10:30:00.500 UTC
    entry = parse_line("[2026.01.25-10.30.00:500][  0]LogAssetTools: Error: import failed", stamp + 0.2)
    assert entry is not None and abs(entry.time - stamp) < 1e-3


def test_tail_reads_appended_lines_and_attaches_by_window(tmp_path: Path) -> None:
    log = tmp_path / "Game.log"
    log.write_text("LogTexture: Warning: from before the bridge started\n", encoding="utf-8")
    tail = EngineLogTail(log)
    tail.skip_existing()
    clock = [time.time() - 0.01]
    history = RunHistory(MemoryStore(), clock=lambda: clock[0])
    run = history.create(RunKind.EDITOR, started=True)
    history.log(run.id, LogLevel.INFO, "Execution started")
    with log.open("a", encoding="utf-8") as handle:
        handle.write("LogTexture: Warning: too big\nLogPython: print output\nLogMaterial: Error: bro")
    assert tail.read_new() == 1  # the half-written last line waits for its newline
    with log.open("a", encoding="utf-8") as handle:
        handle.write("ken\n")
    assert tail.read_new() == 1
    clock[0] = time.time()
    finished = history.finish(run.id, RunStatus.COMPLETED)
    assert tail.attach(history, finished) == 2  # a finished run gains them through the history
    record = history.get(run.id)
    assert record is not None
    messages = [e.message for e in sorted(record.logs, key=lambda e: e.time)]
    assert messages == ["Execution started", "LogTexture: too big", "LogMaterial: broken"]
    clock[0] = time.time() + 60
    outside = history.create(RunKind.EDITOR, started=True)
    assert tail.attach(history, history.finish(outside.id, RunStatus.COMPLETED)) == 0
    log.write_text("", encoding="utf-8")  # a new editor session truncates the log
    with log.open("a", encoding="utf-8") as handle:
        handle.write("LogInit: Error: after truncation\n")
    assert tail.read_new() == 1


def test_watchdog_follows_the_file(tmp_path: Path) -> None:
    log = tmp_path / "Game.log"
    log.write_text("", encoding="utf-8")
    tail = EngineLogTail(log)
    tail.start()
    try:
        with log.open("a", encoding="utf-8") as handle:
            handle.write("LogNet: Warning: followed without being asked\n")
        for _ in range(200):
            if tail.entries:
                break
            time.sleep(0.02)
        assert [e.message for e in tail.entries] == ["LogNet: followed without being asked"]
    finally:
        tail.stop()


async def test_engine_lines_written_during_a_job_reach_its_logs(
    unreal_project: MockProject, start_bridge: BridgeFactory
) -> None:
    log = Path(unreal_project.unreal.Paths.project_log_dir()) / "MockProject.log"
    log.write_text("LogInit: Display: editor started\n", encoding="utf-8")
    host = start_bridge()
    code = (
        f"with open({str(log)!r}, 'a') as f:\n"
        "    f.write('LogStaticMesh: Warning: SM_Rock has no collision\\n')\n"
        "    f.write('LogPython: Warning: teed by the bridge itself\\n')\n"
        "    f.flush()\n"
        "import time\ntime.sleep(0.05)\n"
    )
    async with aiohttp.ClientSession(base_url=host.url) as http:
        reply = await execute(http, code)
        assert reply["success"] is True
        for _ in range(200):  # attached just after the job ends (the engine flushes its log late)
            messages = [e["message"] for e in (await job(http, reply["job_id"]))["logs"]]
            if "LogStaticMesh: SM_Rock has no collision" in messages:
                break
            await asyncio.sleep(0.05)
        assert "LogStaticMesh: SM_Rock has no collision" in messages
        assert not any("teed by the bridge" in m for m in messages)
        later = await execute(http, "pass")
        await asyncio.sleep(1.0)
        assert all("SM_Rock" not in e["message"] for e in (await job(http, later["job_id"]))["logs"])
