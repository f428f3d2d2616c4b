"""Schema migrations: a new file gets them all, a file from the previous version gets the missing ones
with its data intact, and a file from a newer bridge is refused."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import List

import pytest

from bridge.runs import RunHistory, RunKind, RunQuery, RunStatus
from bridge.runs.errors import SchemaTooNew
from bridge.runs.events import RunEvent
from bridge.runs.migrations import LATEST, MIGRATIONS, Migration, current_version, migrate, statements
from bridge.runs.sqlite import SqliteStore, connect
from bridge.runs.sqlite_writer import write_event
from bridge.runs.store import MemoryStore

from .conftest import FakeClock


def versions(path: Path) -> List[int]:
    with sqlite3.connect(str(path)) as connection:
        return [row[0] for row in connection.execute("SELECT version FROM schema_migrations ORDER BY version")]


def indexes(path: Path) -> List[str]:
    with sqlite3.connect(str(path)) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")]


def test_an_empty_file_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    path.touch()  # an empty file is a valid, empty SQLite database
    SqliteStore(path).close()
    assert versions(path) == [m.version for m in MIGRATIONS] and LATEST >= 2
    with sqlite3.connect(str(path)) as connection:
        described = connection.execute("SELECT description, applied_at FROM schema_migrations").fetchall()
    assert all(text and applied > 0 for text, applied in described)


def test_a_file_from_version_1_is_migrated_with_its_runs(tmp_path: Path, fake_clock: FakeClock) -> None:
    path = tmp_path / "v1.sqlite3"
    connection = connect(path)
    assert migrate(connection, path, up_to=1) == [1]
    assert "idx_runs_session" not in indexes(path)
    # Runs recorded by a version-1 bridge, written the way its writer writes them.
    events: List[RunEvent] = []
    history = RunHistory(MemoryStore(), clock=fake_clock)
    history.bus.subscribe(events.append)
    done = history.create(RunKind.EDITOR, session_id="s1", tags=["old"], started=True)
    history.output(done.id, "from version 1\n")
    done = history.finish(done.id, RunStatus.COMPLETED)
    running = history.create(RunKind.COMMAND, started=True)
    connection.execute("BEGIN")
    for event in events:
        write_event(connection, event)
    connection.execute("COMMIT")
    connection.close()

    store = SqliteStore(path)
    try:
        assert versions(path) == [m.version for m in MIGRATIONS]
        assert "idx_runs_session" in indexes(path) and "idx_artifacts_sha256" in indexes(path)
        record = store.get(done.id)
        assert record is not None and record.run == done and record.output == "from version 1\n"
        assert store.list(RunQuery(session_id="s1")).items == (done,)
        assert store.list(RunQuery(tag="old")).items == (done,)
        assert [run.id for run in store.unfinished()] == [running.id]
    finally:
        store.close()


def test_a_file_from_a_newer_bridge_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    SqliteStore(path).close()
    with sqlite3.connect(str(path)) as connection:
        connection.execute("INSERT INTO schema_migrations VALUES (?, 0, 'from the future')", (LATEST + 7,))
    with pytest.raises(SchemaTooNew) as refused:
        SqliteStore(path)
    message = str(refused.value)
    assert f"version {LATEST + 7}" in message and f"up to {LATEST}" in message and str(path) in message
    assert (refused.value.found, refused.value.supported) == (LATEST + 7, LATEST)


def test_a_failing_migration_leaves_the_file_at_the_version_before(tmp_path: Path) -> None:
    path = tmp_path / "half.sqlite3"

    def fails(connection: sqlite3.Connection) -> None:
        connection.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration bug")

    steps = [Migration(1, "one table", "CREATE TABLE one (x);"), Migration(2, "fails halfway", fails)]
    connection = connect(path)
    try:
        with pytest.raises(RuntimeError, match="migration bug"):
            migrate(connection, path, migrations=steps)
        assert current_version(connection) == 1
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "one" in tables and "half_done" not in tables
        assert migrate(connection, path, migrations=steps[:1]) == []  # nothing left to do
    finally:
        connection.close()


def test_scripts_split_into_statements_at_statement_ends() -> None:
    script = "-- a comment; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT ';');\nCREATE INDEX i ON a (x);\n"
    assert statements(script) == ["-- a comment; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT ';');",
                                  "CREATE INDEX i ON a (x);"]
    with pytest.raises(ValueError, match="incomplete"):
        statements("CREATE TABLE b (x")
