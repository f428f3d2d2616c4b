"""What only the SQLite store does: keep the history across reopening, batch writes on its own thread,
flush on request, survive a failing event, and serve readers while it writes."""
from __future__ import annotations

import dataclasses
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterator, List

import pytest

from bridge.runs import LogLevel, Run, RunHistory, RunKind, RunQuery, RunStatus
from bridge.runs.errors import StoreClosed
from bridge.runs.events import Change, OutputAdded, RunChanged, RunDeleted, RunEvent
from bridge.runs.migrations import LATEST
from bridge.runs.sqlite import SqliteStore
from bridge.runs.sqlite_writer import coalesce

from .conftest import FakeClock


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite3"


@pytest.fixture
def sqlite(path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(path)
    yield store
    store.close()


@pytest.fixture
def history(sqlite: SqliteStore, fake_clock: FakeClock) -> RunHistory:
    return RunHistory(sqlite, clock=fake_clock, output_limit=10 * 1024 * 1024)


class WriterGate:
    """Holds the store's writer thread inside a task until opened: what is applied meanwhile is one batch.
    It also records every statement the writer runs from then on."""

    def __init__(self, store: SqliteStore) -> None:
        self.statements: List[str] = []
        self._inside = threading.Event()
        self._open = threading.Event()

        def hold(connection: sqlite3.Connection) -> None:
            connection.set_trace_callback(self.statements.append)
            self._inside.set()
            self._open.wait(30)

        self._thread = threading.Thread(target=store._writer.run_task, args=(hold,))
        self._thread.start()
        assert self._inside.wait(10)

    def open(self) -> None:
        self._open.set()
        self._thread.join(10)

    def count(self, prefix: str) -> int:
        return sum(1 for statement in self.statements if statement.lstrip().startswith(prefix))


def test_the_history_is_there_after_reopening(path: Path, fake_clock: FakeClock) -> None:
    store = SqliteStore(path)
    history = RunHistory(store, clock=fake_clock)
    done = history.create(RunKind.SCRIPT, name="kept", tags=["a"], metadata={"k": [1]}, started=True)
    history.output(done.id, "printed\n")
    history.log(done.id, LogLevel.WARNING, "logged")
    history.begin_step(done.id, "step")
    done = history.finish(done.id, RunStatus.COMPLETED, result=[1, "two"])
    before = store.get(done.id)
    store.close()
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0  # checkpointed at close

    again = SqliteStore(path)
    try:
        assert again.get(done.id) == before
        assert before is not None and before.output == "printed\n" and before.run.result == [1, "two"]
        assert again.list(RunQuery(tag="a")).items == (done,)
    finally:
        again.close()


def test_ten_thousand_prints_are_one_append(sqlite: SqliteStore, history: RunHistory) -> None:
    gate = WriterGate(sqlite)
    run = history.create(RunKind.EDITOR, started=True)
    lines = [f"line {n}\n" for n in range(10_000)]
    for line in lines:
        history.output(run.id, line)
    history.finish(run.id, RunStatus.COMPLETED)
    gate.open()
    sqlite.flush().result(10)
    record = sqlite.get(run.id)
    assert record is not None and record.output == "".join(lines) and record.run.status is RunStatus.COMPLETED
    assert gate.count("INSERT INTO outputs") == 1
    assert gate.count("INSERT INTO runs") == 1  # created and finished in one batch: written once, finished


def test_coalescing_keeps_the_order_that_matters() -> None:
    created = Run(id="r", kind=RunKind.EDITOR, created_at=1.0)
    finished = Run(id="r", kind=RunKind.EDITOR, created_at=1.0, status=RunStatus.COMPLETED)
    events: List[RunEvent] = [
        OutputAdded("r", "before it exists ", ()),
        RunChanged(Change.CREATED, created),
        OutputAdded("r", "a", ()),
        OutputAdded("other", "x", ()),
        OutputAdded("r", "b", ()),
        RunChanged(Change.FINISHED, finished),
        RunDeleted("r"),
        RunChanged(Change.CREATED, created),
        OutputAdded("r", "c", ()),
    ]
    assert coalesce(events) == [
        OutputAdded("r", "before it exists ", ()),
        RunChanged(Change.CREATED, finished),  # a new row still (its output row is made), at its last state
        OutputAdded("r", "ab", ()),
        RunDeleted("r"),
        RunChanged(Change.CREATED, created),
        OutputAdded("other", "x", ()),
        OutputAdded("r", "c", ()),
    ]


def test_a_run_created_and_changed_in_one_batch_keeps_its_tags_and_output(sqlite: SqliteStore) -> None:
    gate = WriterGate(sqlite)  # the writer waits, so the four events reach it as one batch
    created = Run(id="r", kind=RunKind.EDITOR, created_at=1.0, tags=("nightly",))
    sqlite.apply(RunChanged(Change.CREATED, created))
    sqlite.apply(OutputAdded("r", "hello\n", ()))
    sqlite.apply(RunChanged(Change.STARTED, dataclasses.replace(created, status=RunStatus.RUNNING)))
    sqlite.apply(RunChanged(Change.FINISHED, dataclasses.replace(created, status=RunStatus.COMPLETED)))
    gate.open()
    sqlite.flush().result(10)
    record = sqlite.get("r")
    assert record is not None and record.output == "hello\n" and record.run.status is RunStatus.COMPLETED
    tagged = sqlite.list(RunQuery(tag="nightly", status=RunStatus.COMPLETED))
    assert [run.id for run in tagged.items] == ["r"]


def test_the_writer_leaves_checkpoints_to_the_checkpointer(tmp_path: Path) -> None:
    """No commit pays for a checkpoint: the WAL is copied into the file by the checkpointer's thread."""
    store = SqliteStore(tmp_path / "h.sqlite3")
    history = RunHistory(store)
    try:
        assert store._writer.run_task(lambda c: c.execute("PRAGMA wal_autocheckpoint").fetchone()[0]) == 0
        before = store._checkpointer.checkpoints
        size = store.path.stat().st_size
        for _ in range(50):
            history.finish(history.create(RunKind.EDITOR, started=True).id, RunStatus.COMPLETED)
        store.flush().result(10)
        deadline = time.monotonic() + 10
        while store._checkpointer.checkpoints == before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert store._checkpointer.checkpoints > before
        assert store.path.stat().st_size > size  # the runs reached the database file before close()
    finally:
        store.close()


def test_flush_resolves_once_everything_before_it_is_committed(sqlite: SqliteStore, history: RunHistory) -> None:
    assert sqlite.flush().done()  # nothing queued
    gate = WriterGate(sqlite)
    run = history.create(RunKind.EDITOR)
    flushed = sqlite.flush()
    assert not flushed.done()
    gate.open()
    flushed.result(10)
    with sqlite3.connect(str(sqlite.path)) as other:  # another connection: it is in the file, not a cache
        assert other.execute("SELECT status FROM runs WHERE id = ?", (run.id,)).fetchone() == ("pending",)


def test_a_read_sees_what_was_applied_before_it(history: RunHistory) -> None:
    for n in range(200):
        run = history.create(RunKind.EDITOR, started=True)
        history.output(run.id, f"{n}\n")
        history.finish(run.id, RunStatus.COMPLETED)
        record = history.get(run.id)  # finished: answered by the store, not the live state
        assert record is not None and record.run.status is RunStatus.COMPLETED and record.output == f"{n}\n"


def test_a_failing_event_costs_only_itself(
    sqlite: SqliteStore, history: RunHistory, caplog: pytest.LogCaptureFixture
) -> None:
    with sqlite3.connect(str(sqlite.path)) as other:  # a real SQLite error on one row, from the file itself
        other.execute("CREATE TRIGGER refuse BEFORE INSERT ON logs WHEN NEW.message = 'boom' "
                      "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    run = history.create(RunKind.EDITOR, started=True)
    gate = WriterGate(sqlite)
    history.log(run.id, LogLevel.INFO, "before")
    history.log(run.id, LogLevel.INFO, "boom")
    history.log(run.id, LogLevel.INFO, "after")
    history.finish(run.id, RunStatus.COMPLETED)
    with caplog.at_level(logging.WARNING, logger="bridge.runs"):
        gate.open()
        sqlite.flush().result(10)
    record = sqlite.get(run.id)
    assert record is not None and record.run.status is RunStatus.COMPLETED
    assert [entry.message for entry in record.logs] == ["before", "after"]
    assert any("could not store LogAdded" in r.getMessage() and "refused by the test" in (r.exc_text or "")
               for r in caplog.records)
    # The writer lives on: later events are stored.
    later = history.create(RunKind.EDITOR)
    assert sqlite._writer.alive and sqlite.get(later.id) is not None


def test_readers_are_served_while_the_writer_writes(sqlite: SqliteStore, history: RunHistory) -> None:
    errors: List[BaseException] = []
    reads: List[int] = []
    stop = threading.Event()

    def read() -> None:
        counts: List[int] = []
        try:
            while not stop.is_set():
                page = sqlite.list(RunQuery(limit=10))
                assert len(page.items) == min(10, page.total_count)
                for run in page.items:
                    assert sqlite.get(run.id) is not None
                counts.append(sqlite.stats().runs)
            assert counts == sorted(counts)  # each reader sees the history only grow
            reads.append(len(counts))
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    for n in range(500):
        run = history.create(RunKind.EDITOR, started=True)
        history.output(run.id, f"{n}\n")
        history.finish(run.id, RunStatus.COMPLETED)
    stop.set()
    for reader in readers:
        reader.join(30)
    assert errors == [] and len(reads) == 4
    assert sqlite.stats().runs == 500


def test_a_closed_store_says_so(path: Path, fake_clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    store = SqliteStore(path)
    history = RunHistory(store, clock=fake_clock)
    store.close()
    store.close()  # twice is fine
    with caplog.at_level(logging.WARNING, logger="bridge.runs"):
        history.create(RunKind.EDITOR)  # the game thread must not see an exception from a late print
    assert any("is closed" in r.getMessage() for r in caplog.records)
    with pytest.raises(StoreClosed, match="closed"):
        store.list(RunQuery())
    assert store.flush().done()


def test_stats_and_optimize(sqlite: SqliteStore, history: RunHistory) -> None:
    run = history.create(RunKind.EDITOR, started=True)
    history.begin_step(run.id, "s")
    history.finish(run.id, RunStatus.FAILED)
    stats = sqlite.stats()
    assert (stats.backend, stats.path, stats.wal_mode) == ("sqlite", str(sqlite.path), True)
    assert stats.size_bytes > 0 and stats.cache_size > 0
    assert (stats.runs, stats.steps, stats.by_status["failed"]) == (1, 1, 1)
    done = sqlite.optimize()
    assert "ANALYZE tables" in done and "WAL checkpoint" in done
    assert sqlite.list(RunQuery()).total_count == 1


def test_the_list_reads_indexes_not_the_whole_table(sqlite: SqliteStore) -> None:
    connection = sqlite._reader()
    for query in ("SELECT id FROM runs r WHERE r.status = 'failed' ORDER BY r.created_at DESC, r.seq DESC LIMIT 100",
                  "SELECT id FROM runs r ORDER BY r.created_at DESC, r.seq DESC LIMIT 100",
                  "SELECT run_seq FROM run_tags t WHERE t.tag = 'x' ORDER BY t.created_at DESC, t.run_seq DESC",
                  "SELECT id FROM runs r WHERE r.session_id = 's' ORDER BY r.created_at DESC, r.seq DESC"):
        plan = " | ".join(row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + query))
        assert "TEMP B-TREE" not in plan and ("INDEX" in plan or "PRIMARY KEY" in plan), plan


def test_a_new_file_is_at_the_latest_schema(sqlite: SqliteStore) -> None:
    with sqlite3.connect(str(sqlite.path)) as other:
        assert other.execute("SELECT max(version) FROM schema_migrations").fetchone() == (LATEST,)
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_text_that_is_not_valid_unicode_is_stored_readably(sqlite: SqliteStore, history: RunHistory) -> None:
    run = history.create(RunKind.EDITOR, started=True, tags=["t\udc80"], metadata={"raw": "b\udcff"})
    history.output(run.id, "bytes \udc80 decoded with surrogateescape\n")
    history.log(run.id, LogLevel.ERROR, "also \udcff here")
    history.finish(run.id, RunStatus.FAILED, error_message="bad \udc81")
    record = sqlite.get(run.id)
    assert record is not None
    assert record.output == "bytes ? decoded with surrogateescape\n"
    assert [entry.message for entry in record.logs] == ["also ? here"]
    assert record.run.metadata == {"raw": "b\udcff"}  # JSON escapes it, so it comes back as it was
    assert record.run.status is RunStatus.FAILED and record.run.error_message == "bad ?"


def test_a_run_that_prints_nothing_has_no_outputs_row(path: Path, sqlite: SqliteStore, history: RunHistory) -> None:
    silent = history.create(RunKind.EDITOR, started=True)
    history.finish(silent.id, RunStatus.COMPLETED)
    loud = history.create(RunKind.EDITOR, started=True)
    history.output(loud.id, "one\n")
    history.output(loud.id, "two\n")
    sqlite.flush().result(10)
    history.output(loud.id, "three\n")  # a second append, to the row the first made
    history.finish(loud.id, RunStatus.COMPLETED)
    sqlite.flush().result(10)
    with sqlite3.connect(path) as reader:
        assert reader.execute("SELECT run_id, output FROM outputs").fetchall() == [(loud.id, "one\ntwo\nthree\n")]
    record = sqlite.get(silent.id)
    assert record is not None and record.output == ""


def test_text_for_a_deleted_run_leaves_no_orphan(path: Path, sqlite: SqliteStore) -> None:
    sqlite.apply(OutputAdded("never-created", "lost\n", ()))
    sqlite.flush().result(10)
    with sqlite3.connect(path) as reader:
        assert reader.execute("SELECT count(*) FROM outputs").fetchone() == (0,)


def test_a_flush_with_the_writer_idle_is_written_by_the_caller(sqlite: SqliteStore, history: RunHistory) -> None:
    run = history.create(RunKind.EDITOR, started=True)
    history.finish(run.id, RunStatus.COMPLETED)
    flushed = sqlite.flush()
    assert flushed.done()  # committed on this thread before flush() returned: no hop to the writer
    record = sqlite.get(run.id)
    assert record is not None and record.run.status is RunStatus.COMPLETED


def test_events_nobody_flushes_are_written_by_the_dozing_writer(sqlite: SqliteStore, history: RunHistory) -> None:
    writer = sqlite._writer
    deadline = time.monotonic() + 30
    while not writer._asleep and time.monotonic() < deadline:  # idle past DOZE_AFTER_SECONDS
        time.sleep(0.05)
    assert writer._asleep
    run = history.create(RunKind.EDITOR, started=True)
    while writer.batches == 0 and time.monotonic() < deadline:  # woken by the event itself, no flush
        time.sleep(0.01)
    assert writer.batches >= 1
    record = sqlite.get(run.id)
    assert record is not None and record.run.status is RunStatus.RUNNING
