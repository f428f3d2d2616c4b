"""A real `kill -9`: everything flushed before it is in the file afterwards, and the runs that were in
progress are found and ended as failed (restart) by the next process."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from bridge.runs import RunHistory, RunQuery, RunStatus, StopReason
from bridge.runs.sqlite import SqliteStore

from .conftest import FakeClock

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path

    from bridge.runs import LogLevel, RunHistory, RunKind, RunStatus
    from bridge.runs.sqlite import SqliteStore

    store = SqliteStore(Path(sys.argv[1]))
    history = RunHistory(store)
    for n in range(50):
        run = history.create(RunKind.COMMAND, name=f"run {n}", started=True, tags=["durable"])
        history.output(run.id, f"output {n}\\n")
        history.log(run.id, LogLevel.INFO, f"log {n}")
        history.finish(run.id, RunStatus.COMPLETED if n % 5 else RunStatus.FAILED, exit_code=n % 5)
    running = history.create(RunKind.EDITOR, name="running", started=True)
    history.output(running.id, "half way\\n")
    pending = history.create(RunKind.SCRIPT, name="pending")
    store.flush().result(30)
    print("flushed", running.id, pending.id, flush=True)
    while True:  # still writing when the kill lands
        run = history.create(RunKind.EDITOR, started=True)
        history.output(run.id, "x" * 1000)
        history.finish(run.id, RunStatus.COMPLETED)
""")


def test_what_was_flushed_survives_kill_9(tmp_path: Path, fake_clock: FakeClock) -> None:
    path = tmp_path / "history.sqlite3"
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        assert line[:1] == ["flushed"], line
        running_id, pending_id = line[1], line[2]
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(str(path)) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = SqliteStore(path)
    try:
        kept = store.list(RunQuery(tag="durable", limit=100))
        assert kept.total_count == 50
        by_name = {run.name: run for run in kept.items}
        assert by_name["run 3"].status is RunStatus.COMPLETED and by_name["run 5"].status is RunStatus.FAILED
        record = store.get(by_name["run 7"].id)
        assert record is not None and record.output == "output 7\n" and [e.message for e in record.logs] == ["log 7"]
        assert {run.id for run in store.unfinished()} >= {running_id, pending_id}

        history = RunHistory(store, clock=fake_clock)
        recovered = {run.id: run for run in history.recover()}
        assert {running_id, pending_id} <= set(recovered)
        store.flush().result(10)
    finally:
        store.close()

    again = SqliteStore(path)
    try:
        assert again.unfinished() == []
        for run_id in (running_id, pending_id):
            record = again.get(run_id)
            assert record is not None
            assert (record.run.status, record.run.stop_reason, record.run.completed_at) == (
                RunStatus.FAILED, StopReason.RESTART, fake_clock.now)
        running = again.get(running_id)
        assert running is not None and running.output == "half way\n"
    finally:
        again.close()
