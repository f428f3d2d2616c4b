"""The checkpointer's thread: it survives a failing checkpoint, says so once, and says when it recovers."""
from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

import pytest

from bridge.runs.sqlite import connect
from bridge.runs.sqlite_checkpoint import Checkpointer


def wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.01)
    assert condition(), what  # type: ignore[operator]


def test_a_failed_checkpoint_is_logged_once_and_retried(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "h.sqlite3"
    connect(path).execute("PRAGMA journal_mode = WAL")
    checkpointer = Checkpointer(lambda: connect(path), "test", interval=0.0)
    good = checkpointer._connection
    broken = sqlite3.connect(":memory:", check_same_thread=False)
    broken.close()  # every statement on it raises sqlite3.ProgrammingError, a sqlite3.Error
    try:
        with caplog.at_level(logging.INFO, logger="bridge.runs"):
            checkpointer._connection = broken
            for _ in range(3):
                checkpointer.committed()
                wait_for(lambda: not checkpointer._dirty.is_set(), "the checkpointer took the nudge")
            wait_for(lambda: checkpointer._failed, "the failure was seen")
            assert checkpointer.checkpoints == 0
            checkpointer._connection = good
            checkpointer.committed()
            wait_for(lambda: checkpointer.checkpoints == 1, "a later pass succeeded")
        failures = [r for r in caplog.records if "WAL checkpoint failed" in r.getMessage()]
        assert len(failures) == 1
        assert any("WAL checkpoints work again" in r.getMessage() for r in caplog.records)
    finally:
        checkpointer.close()


def test_close_stops_the_thread_without_a_pending_checkpoint(tmp_path: Path) -> None:
    checkpointer = Checkpointer(lambda: connect(tmp_path / "h.sqlite3"), "test")
    checkpointer.close()
    assert not checkpointer._thread.is_alive()
