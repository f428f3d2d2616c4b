"""SqliteStore: the history in one SQLite file (WAL), kept across restarts and `kill -9`.

One writer thread owns the write connection and commits a batch of events per wakeup (sqlite_writer);
`apply()` only queues. Reads use one connection per reading thread, so they never wait for the write
lock. A read does wait for the writer to commit what was applied before it (at most a batch, usually
a millisecond): a run answered as finished is then found finished, exactly as MemoryStore behaves.
"""
from __future__ import annotations

import concurrent.futures
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any, Callable, List, Optional, Tuple, TypeVar

from . import sqlite_rows as rows
from .errors import StoreClosed
from .events import RunEvent
from .migrations import migrate
from .model import Artifact, ArtifactQuery, Page, Run, RunQuery, RunRecord, RunStatus
from .sqlite_checkpoint import Checkpointer
from .sqlite_writer import Writer, delete_runs
from .store import StoreStats

log = logging.getLogger("bridge.runs")

T = TypeVar("T")

FINISHED = tuple(status.value for status in RunStatus if status.finished)
UNFINISHED = tuple(status.value for status in RunStatus if not status.finished)
RUN_SELECT = f"SELECT {rows.quoted(rows.RUN_COLUMNS, 'r.')} FROM runs r"
ARTIFACT_SELECT = f"SELECT {rows.quoted(rows.ARTIFACT_COLUMNS)} FROM artifacts"
NEWEST_FIRST = "ORDER BY r.created_at DESC, r.seq DESC"
PRUNE_CHUNK = 5000  # runs deleted per transaction: the writer never stops for long


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are explicit BEGIN ... COMMIT."""
    connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5.0)
    connection.row_factory = sqlite3.Row
    # NORMAL in WAL mode: a commit is in the WAL before COMMIT returns, so it survives the process
    # being killed; only a power cut may lose the last commits (never corrupts the file).
    connection.execute("PRAGMA synchronous = NORMAL")
    if read_only:
        connection.execute("PRAGMA query_only = ON")
    return connection


class SqliteStore:
    """RunStore in a SQLite file; same answers as MemoryStore for the same events."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = connect(self.path)
        try:
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # a network drive, say: still correct, slower, readers may wait
                log.warning("run history %s: WAL is not available here (journal mode %s)", self.path, mode)
            migrate(connection, self.path)
            connection.execute("PRAGMA wal_autocheckpoint = 0")  # the checkpointer's thread does it
        except BaseException:
            connection.close()
            raise
        self._checkpointer = Checkpointer(lambda: connect(self.path), str(self.path))
        self._writer = Writer(connection, str(self.path), on_commit=self._checkpointer.committed)
        self._local = threading.local()
        self._readers: List[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._closed = False

    # --- writing -----------------------------------------------------------------------------------

    def apply(self, event: RunEvent) -> None:
        self._writer.submit(event)

    def flush(self) -> concurrent.futures.Future[None]:
        return self._writer.flush()

    def prune(self, finished_before: float, keep: int) -> List[str]:
        """Found and deleted on the writer, after every event applied before; deleted in chunks, so
        events of live runs are written between them. Blocks the caller (retention's worker thread)."""

        def find(connection: sqlite3.Connection) -> List[str]:
            marks = ", ".join("?" for _ in FINISHED)
            ended = "coalesce(completed_at, created_at)"
            aged = [row[0] for row in connection.execute(
                f"SELECT id FROM runs WHERE status IN ({marks}) AND {ended} < ? ORDER BY created_at, seq",
                (*FINISHED, finished_before),
            )]
            beyond = [row[0] for row in connection.execute(
                f"SELECT id FROM runs WHERE status IN ({marks}) AND {ended} >= ? "
                "ORDER BY created_at DESC, seq DESC LIMIT -1 OFFSET ?",
                (*FINISHED, finished_before, max(keep, 0)),
            )]
            return aged + beyond[::-1]

        def delete(chunk: List[str]) -> Callable[[sqlite3.Connection], None]:
            def task(connection: sqlite3.Connection) -> None:
                connection.execute("BEGIN IMMEDIATE")
                delete_runs(connection, chunk)
                connection.execute("COMMIT")
                self._writer.expect_deleted(chunk)

            return task

        self._check_open()
        doomed = self._writer.run_task(find)
        for start in range(0, len(doomed), PRUNE_CHUNK):
            self._writer.run_task(delete(doomed[start:start + PRUNE_CHUNK]))
        return doomed

    def optimize(self) -> List[str]:
        """ANALYZE, the planner's own optimize and a WAL checkpoint, on the writer; blocks the caller."""

        def optimize(connection: sqlite3.Connection) -> List[str]:
            connection.execute("ANALYZE")
            connection.execute("PRAGMA optimize")
            with self._checkpointer.paused():
                busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            checkpoint = "WAL checkpoint (partial: readers were active)" if busy else "WAL checkpoint"
            return ["ANALYZE tables", "Query planner statistics (PRAGMA optimize)", checkpoint]

        self._check_open()
        return self._writer.run_task(optimize)

    def close(self) -> None:
        """Write what is queued, checkpoint the WAL into the file, stop the writer and close every connection."""
        if self._closed:
            return
        self._closed = True
        self._writer.close()
        self._checkpointer.close()
        connection = self._writer.connection
        if not self._writer.alive:
            try:
                connection.execute("PRAGMA optimize")
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                log.exception("run history %s: final checkpoint failed", self.path)
            connection.close()
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for reader in readers:
            reader.close()

    # --- reading -----------------------------------------------------------------------------------

    def get(self, run_id: str) -> Optional[RunRecord]:
        def get(connection: sqlite3.Connection) -> Optional[RunRecord]:
            row = connection.execute(f"{RUN_SELECT} WHERE r.id = ?", (run_id,)).fetchone()
            if row is None:
                return None
            output = connection.execute("SELECT output FROM outputs WHERE run_id = ?", (run_id,)).fetchone()
            logs = connection.execute(
                f"SELECT {rows.quoted(rows.LOG_COLUMNS)} FROM logs WHERE run_id = ? ORDER BY seq", (run_id,)
            )
            steps = connection.execute(
                f'SELECT {rows.quoted(rows.STEP_COLUMNS)} FROM steps WHERE run_id = ? ORDER BY "index", rowid',
                (run_id,),
            )
            artifacts = connection.execute(f"{ARTIFACT_SELECT} WHERE run_id = ? ORDER BY seq", (run_id,))
            return RunRecord(
                run=rows.run_from_row(row),
                output="" if output is None else output[0],
                logs=tuple(rows.log_from_row(r) for r in logs),
                steps=tuple(rows.step_from_row(r) for r in steps),
                artifacts=tuple(rows.artifact_from_row(r) for r in artifacts),
            )

        return self._read(get, snapshot=True)

    def list(self, query: RunQuery) -> Page:
        # A text search reads the runs themselves (name, command), newest first along idx_runs_created: the
        # page stops at its last match; a tag is then one EXISTS probe per run on run_tags' primary key.
        if query.tag is None or query.text is not None:
            where, params = _run_filter(query, "r")
            count = f"SELECT count(*) FROM runs r WHERE {where}"
            select = f"{RUN_SELECT} WHERE {where} {NEWEST_FIRST} LIMIT ? OFFSET ?"
        else:  # run_tags holds the filter columns in list order: only the page's runs are looked up
            where, params = _run_filter(query, "t")
            where, params = f"t.tag = ? AND {where}", [query.tag, *params]
            count = f"SELECT count(*) FROM run_tags t WHERE {where}"
            select = (f"{RUN_SELECT} JOIN (SELECT run_seq FROM run_tags t WHERE {where} "
                      "ORDER BY t.created_at DESC, t.run_seq DESC LIMIT ? OFFSET ?) page ON r.seq = page.run_seq "
                      f"{NEWEST_FIRST}")

        def page(connection: sqlite3.Connection) -> Page:
            total = connection.execute(count, params).fetchone()[0]
            found = connection.execute(select, (*params, query.limit, query.offset))
            return Page(tuple(rows.run_from_row(row) for row in found), total, query.offset)

        return self._read(page, snapshot=True)

    def artifact(self, artifact_id: str) -> Optional[Artifact]:
        def artifact(connection: sqlite3.Connection) -> Optional[Artifact]:
            row = connection.execute(f"{ARTIFACT_SELECT} WHERE id = ?", (artifact_id,)).fetchone()
            return None if row is None else rows.artifact_from_row(row)

        return self._read(artifact)

    def artifacts(self, query: ArtifactQuery) -> Page:
        clauses: List[str] = ["1"]
        params: List[Any] = []
        for column, value in (("run_id", query.run_id), ("step_id", query.step_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if query.artifact_type is not None:
            clauses.append("artifact_type = ?")
            params.append(query.artifact_type.value)
        where = " AND ".join(clauses)

        def page(connection: sqlite3.Connection) -> Page:
            total = connection.execute(f"SELECT count(*) FROM artifacts WHERE {where}", params).fetchone()[0]
            found = connection.execute(
                f"{ARTIFACT_SELECT} WHERE {where} ORDER BY seq DESC LIMIT ? OFFSET ?",
                (*params, query.limit, query.offset),
            )
            return Page(tuple(rows.artifact_from_row(row) for row in found), total, query.offset)

        return self._read(page, snapshot=True)

    def artifact_references(self, sha256: str) -> int:
        """How many artifacts (of any run) are stored with this content."""
        return self._read(
            lambda connection: connection.execute("SELECT count(*) FROM artifacts WHERE sha256 = ?", (sha256,))
            .fetchone()[0]
        )

    def unfinished(self) -> List[Run]:
        marks = ", ".join("?" for _ in UNFINISHED)
        return self._read(lambda connection: [
            rows.run_from_row(row)
            for row in connection.execute(f"{RUN_SELECT} WHERE r.status IN ({marks}) ORDER BY r.seq", UNFINISHED)
        ])

    def expired_artifacts(self, now: float) -> List[Artifact]:
        return self._read(lambda connection: [
            rows.artifact_from_row(row)
            for row in connection.execute(
                f"{ARTIFACT_SELECT} WHERE created_at + retention_days * 86400.0 < ? ORDER BY seq", (now,)
            )
        ])

    def stats(self) -> StoreStats:
        def stats(connection: sqlite3.Connection) -> StoreStats:
            by_status = {status.value: 0 for status in RunStatus}
            for status, count in connection.execute("SELECT status, count(*) FROM runs GROUP BY status"):
                by_status[status] = count
            oldest, newest = connection.execute("SELECT min(created_at), max(created_at) FROM runs").fetchone()
            steps = connection.execute("SELECT count(*) FROM steps").fetchone()[0]
            artifacts = connection.execute("SELECT count(*) FROM artifacts").fetchone()[0]
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            cache = connection.execute("PRAGMA cache_size").fetchone()[0]
            page_size = connection.execute("PRAGMA page_size").fetchone()[0]
            return StoreStats(
                backend="sqlite", path=str(self.path), size_bytes=self._size_bytes(), wal_mode=mode == "wal",
                runs=sum(by_status.values()), steps=steps, artifacts=artifacts, by_status=by_status,
                oldest_created_at=oldest, newest_created_at=newest,
                # Negative means KiB (SQLite's default -2000): reported in pages either way.
                cache_size=cache if cache >= 0 else -cache * 1024 // page_size,
            )

        return self._read(stats, snapshot=True)

    # --- connections -------------------------------------------------------------------------------

    def _read(self, read: Callable[[sqlite3.Connection], T], *, snapshot: bool = False) -> T:
        """`read` on this thread's connection, after the writer has committed what was applied before;
        `snapshot`: in one read transaction, so its several queries see the same commit."""
        self._check_open()
        self._writer.wait_committed()
        connection = self._reader()
        if not snapshot:
            return read(connection)
        connection.execute("BEGIN")
        try:
            return read(connection)
        finally:
            connection.execute("COMMIT")

    def _reader(self) -> sqlite3.Connection:
        connection: Optional[sqlite3.Connection] = getattr(self._local, "connection", None)
        if connection is None:
            connection = connect(self.path, read_only=True)
            self._local.connection = connection
            with self._readers_lock:
                self._readers.append(connection)
        return connection

    def _check_open(self) -> None:
        if self._closed:
            raise StoreClosed(f"the run history {self.path} is closed")

    def _size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            try:
                total += Path(f"{self.path}{suffix}").stat().st_size
            except OSError:
                pass
        return total


def _run_filter(query: RunQuery, table: str) -> Tuple[str, List[Any]]:
    clauses: List[str] = ["1"]
    params: List[Any] = []
    for column, value in (
        ("status", query.status.value if query.status is not None else None),
        ("user", query.user),
        ("kind", query.kind.value if query.kind is not None else None),
        ("session_id", query.session_id),
    ):
        if value is not None:
            clauses.append(f"{table}.{column} = ?")
            params.append(value)
    if query.text is not None:
        contained = f"%{like_escaped(query.text)}%"
        clauses.append(f"({table}.name LIKE ? ESCAPE '\\' OR {table}.command LIKE ? ESCAPE '\\' "
                       f"OR {table}.id LIKE ? ESCAPE '\\')")
        params.extend([contained, contained, f"{like_escaped(query.text)}%"])
        if query.tag is not None:
            clauses.append(f"EXISTS (SELECT 1 FROM run_tags t WHERE t.tag = ? AND t.created_at = {table}.created_at "
                           f"AND t.run_seq = {table}.seq)")
            params.append(query.tag)
    return " AND ".join(clauses), params


def like_escaped(text: str) -> str:
    """`text` matched literally by LIKE ... ESCAPE '\\': its own %, _ and \\ are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
