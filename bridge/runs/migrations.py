"""Versioned schema of the SQLite history: an ordered list of migrations, each applied once, in its own
transaction, and recorded in `schema_migrations`.

A migration is never edited once released: a file in the field is at some version and only the later
migrations run on it. A file at a version this bridge does not know is refused (SchemaTooNew).
"""
from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Union

from .errors import SchemaTooNew

log = logging.getLogger("bridge.runs")

Step = Union[str, Callable[[sqlite3.Connection], None]]


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    step: Step  # SQL statements (a script) or a function given the connection inside the transaction


SCHEMA_1 = """
CREATE TABLE runs (
    seq INTEGER PRIMARY KEY,  -- the order runs were first recorded in; ties of created_at are broken by it
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at REAL NOT NULL,
    name TEXT,
    command TEXT NOT NULL DEFAULT '',
    working_directory TEXT,
    environment TEXT NOT NULL DEFAULT '{}',
    user TEXT NOT NULL DEFAULT 'local',
    tags TEXT NOT NULL DEFAULT '[]',
    metadata TEXT NOT NULL DEFAULT '{}',
    session_id TEXT,
    timeout REAL,
    status TEXT NOT NULL,
    stop_reason TEXT,
    exit_code INTEGER,
    error_message TEXT,
    error_type TEXT,
    traceback TEXT,
    result TEXT,
    started_at REAL,
    completed_at REAL,
    duration_ms REAL,
    output_truncated INTEGER NOT NULL DEFAULT 0,
    logs_dropped INTEGER NOT NULL DEFAULT 0,
    progress REAL,
    total_steps INTEGER NOT NULL DEFAULT 0,
    completed_steps INTEGER NOT NULL DEFAULT 0,
    current_step_index INTEGER,
    artifacts_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_runs_created ON runs (created_at);
CREATE INDEX idx_runs_status ON runs (status, created_at);
CREATE INDEX idx_runs_user ON runs (user, created_at);
CREATE INDEX idx_runs_kind ON runs (kind, created_at);

-- Output apart from the run row: a page of the list never reads megabytes of printed text.
CREATE TABLE outputs (
    run_id TEXT PRIMARY KEY,
    output TEXT NOT NULL DEFAULT ''
);

-- A run's tags, clustered in list order and with copies of the filter columns (rewritten with every
-- change of the run): a page or a count of one tag never looks up the runs it skips.
CREATE TABLE run_tags (
    tag TEXT NOT NULL,
    created_at REAL NOT NULL,
    run_seq INTEGER NOT NULL,
    run_id TEXT NOT NULL,
    status TEXT NOT NULL,
    user TEXT NOT NULL,
    kind TEXT NOT NULL,
    session_id TEXT,
    PRIMARY KEY (tag, created_at, run_seq)
) WITHOUT ROWID;
CREATE INDEX idx_run_tags_run ON run_tags (run_id);

CREATE TABLE logs (
    seq INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL,
    time REAL NOT NULL,
    level TEXT NOT NULL,
    message TEXT NOT NULL,
    stream TEXT NOT NULL,
    step_id TEXT
);
CREATE INDEX idx_logs_run ON logs (run_id, seq);

CREATE TABLE steps (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    name TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    created_at REAL NOT NULL,
    description TEXT,
    status TEXT NOT NULL,
    exit_code INTEGER,
    error_message TEXT,
    started_at REAL,
    completed_at REAL,
    estimated_duration REAL,
    stop_on_error INTEGER NOT NULL DEFAULT 0,
    metadata TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_steps_run ON steps (run_id, "index");

CREATE TABLE artifacts (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    run_id TEXT NOT NULL,
    step_id TEXT,
    name TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at REAL NOT NULL,
    artifact_type TEXT NOT NULL,
    description TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    is_public INTEGER NOT NULL DEFAULT 1,
    retention_days INTEGER NOT NULL
);
CREATE INDEX idx_artifacts_run ON artifacts (run_id);
CREATE INDEX idx_artifacts_type ON artifacts (artifact_type);
"""

# The session filter of the list (REPL sessions' runs) and "is this file still referenced" of
# ArtifactFiles scanned their whole table at version 1.
SCHEMA_2 = """
CREATE INDEX idx_runs_session ON runs (session_id, created_at) WHERE session_id IS NOT NULL;
CREATE INDEX idx_artifacts_sha256 ON artifacts (sha256);
CREATE INDEX idx_artifacts_step ON artifacts (step_id) WHERE step_id IS NOT NULL;
"""

MIGRATIONS: Sequence[Migration] = (
    Migration(1, "runs, outputs, tags, logs, steps and artifacts", SCHEMA_1),
    Migration(2, "indexes for the session filter, artifact hashes and steps' artifacts", SCHEMA_2),
)

LATEST = MIGRATIONS[-1].version


def statements(script: str) -> List[str]:
    """Split a script into statements: executescript() would commit the migration's transaction."""
    found: List[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    if pending.strip() and not pending.strip().startswith("--"):
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]!r}")
    return found


def current_version(connection: sqlite3.Connection) -> int:
    """The highest version applied to this file; 0 for a new (empty) file."""
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if exists is None:
        return 0
    row = connection.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(
    connection: sqlite3.Connection,
    path: Path,
    *,
    up_to: Optional[int] = None,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> List[int]:
    """Apply the missing migrations (up to `up_to`, default all) and return the versions applied.

    `connection` must be in autocommit mode (isolation_level=None): each migration is its own
    BEGIN IMMEDIATE ... COMMIT, so two processes opening the same file never apply one twice.
    """
    latest = migrations[-1].version if migrations else 0
    target = latest if up_to is None else up_to
    applied: List[int] = []
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, applied_at REAL NOT NULL, description TEXT NOT NULL)"
    )
    found = current_version(connection)
    if found > latest:
        raise SchemaTooNew(path, found, latest)
    for migration in migrations:
        if migration.version > target:
            break
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Checked again inside the write lock: another process may have just applied it.
            if current_version(connection) >= migration.version:
                connection.execute("ROLLBACK")
                continue
            if callable(migration.step):
                migration.step(connection)
            else:
                for statement in statements(migration.step):
                    connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_migrations (version, applied_at, description) VALUES (?, ?, ?)",
                (migration.version, time.time(), migration.description),
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        log.info("run history %s: applied schema migration %d (%s)", path, migration.version, migration.description)
        applied.append(migration.version)
    return applied
