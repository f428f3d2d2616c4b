"""The one thread that writes the SQLite history: it drains a queue of events and commits a batch per wakeup.

`submit()` is all the game thread and the event loop ever do: append under a lock held for microseconds.
What nobody waits for yet lingers up to 20 ms; `flush()`, a read or a task ends the wait. The writer
coalesces a batch (a run's consecutive prints become one UPDATE, a run changed many times is
written once), commits it, and when the batch fails retries its events one by one so one bad event
costs only itself.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import sqlite3
import threading
import time
from collections import deque
from typing import Any, Callable, Deque, Dict, Iterable, List, Optional, Set, Tuple, TypeVar, Union

from . import sqlite_rows as rows
from .errors import StoreClosed
from .events import (
    ArtifactAdded,
    ArtifactDeleted,
    Change,
    LogAdded,
    OutputAdded,
    RunChanged,
    RunDeleted,
    RunEvent,
    StepChanged,
    run_id_of,
)

log = logging.getLogger("bridge.runs")

T = TypeVar("T")
Task = Callable[[sqlite3.Connection], Any]
_Item = Union[RunEvent, Tuple[Task, "concurrent.futures.Future[Any]"]]

RUN_UPSERT = rows.upsert_sql("runs", rows.RUN_COLUMNS)
STEP_UPSERT = (
    f'INSERT INTO steps ({rows.quoted(rows.STEP_COLUMNS)}) '
    f'SELECT {", ".join("?" for _ in rows.STEP_COLUMNS)} WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?) '
    "ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f'"{c}" = excluded."{c}"' for c in rows.STEP_COLUMNS if c != "id")
)
ARTIFACT_UPSERT = rows.upsert_sql("artifacts", rows.ARTIFACT_COLUMNS)
LOG_INSERT = (
    "INSERT INTO logs (run_id, time, level, message, stream, step_id) "
    "SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?)"
)
# A run's outputs row appears with its first printed text: a run that prints nothing (most sync runs)
# costs no row, and no pages of the outputs table and its key in its commit.
OUTPUT_APPEND = (
    "INSERT INTO outputs (run_id, output) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?) "
    "ON CONFLICT(run_id) DO UPDATE SET output = output || excluded.output"
)
# Events nobody waits for yet wait this long for company: a sync run's created, started and finished
# become one commit once its reply asks for durability, instead of three commits taking the GIL from
# the game thread while the run runs (measured: the job's wait 333 -> 610 µs without it).
LINGER_SECONDS = 0.02
LINGER_MAX_ITEMS = 2000  # a burst of prints is written at once rather than held
# While runs come and go, the writer looks at its queue every LINGER_SECONDS instead of being woken by
# each run's first event (a wakeup per run took the GIL in the middle of the run's request); after this
# long with nothing to write it sleeps until woken.
DOZE_AFTER_SECONDS = 1.0
INLINE_MAX_EVENTS = 16  # a flush writes this many queued events itself at most: more is the writer thread's batch
MAX_LOGGED_FAILURES = 10  # per batch: a full disk must not flood the log with one line per print
BUSY_RETRIES = 3  # another process holding the write lock past busy_timeout


def delete_runs(connection: sqlite3.Connection, run_ids: List[str]) -> None:
    """A run and everything kept for it. Inside the caller's transaction."""
    params = [(run_id,) for run_id in run_ids]
    for table in ("runs", "outputs", "run_tags", "logs", "steps", "artifacts"):
        column = "id" if table == "runs" else "run_id"
        connection.executemany(f"DELETE FROM {table} WHERE {column} = ?", params)


def log_params(event: LogAdded) -> Tuple[Any, ...]:
    """LOG_INSERT's parameters: the row, then the run it must belong to."""
    return (*rows.log_row(event.run_id, event.entry), event.run_id)


def write_event(connection: sqlite3.Connection, event: RunEvent) -> None:
    """One event as SQL, the same change MemoryStore.apply makes. Inside the caller's transaction."""
    if isinstance(event, RunChanged):
        run = event.run
        connection.execute(RUN_UPSERT, rows.run_row(run))
        if event.change is not Change.CREATED:  # a new run has no tags to replace (run ids are never reused)
            connection.execute("DELETE FROM run_tags WHERE run_id = ?", (run.id,))
        if run.tags:
            connection.executemany(
                "INSERT OR IGNORE INTO run_tags (tag, created_at, run_seq, run_id, status, user, kind, session_id) "
                "SELECT ?, created_at, seq, id, status, user, kind, session_id FROM runs WHERE id = ?",
                [(tag, run.id) for tag in dict.fromkeys(run.tags)],
            )
    elif isinstance(event, OutputAdded):
        if event.text:  # `lines` are for live viewers; the text already holds them
            connection.execute(OUTPUT_APPEND, (event.run_id, event.text, event.run_id))
    elif isinstance(event, LogAdded):
        connection.execute(LOG_INSERT, log_params(event))
    elif isinstance(event, StepChanged):
        connection.execute(STEP_UPSERT, (*rows.step_row(event.step), event.run_id))
    elif isinstance(event, ArtifactAdded):
        connection.execute(ARTIFACT_UPSERT, rows.artifact_row(event.artifact))
    elif isinstance(event, ArtifactDeleted):
        connection.execute("DELETE FROM artifacts WHERE id = ?", (event.artifact.id,))
    elif isinstance(event, RunDeleted):
        delete_runs(connection, [event.run_id])
    else:
        raise TypeError(f"not a run event: {event!r}")


def coalesce(events: List[RunEvent]) -> List[RunEvent]:
    """Fewer events with the same end state: a run's prints joined into one append, and a run changed
    many times written once, with its last snapshot, where it first appeared (so its logs and steps
    that follow find it). Outputs wait until the end, or until their run is recreated or deleted."""
    out: List[Optional[RunEvent]] = []
    run_at: Dict[str, int] = {}  # run id -> index in `out` of its upsert, since its last deletion
    texts: Dict[str, List[str]] = {}

    def flush_output(run_id: str) -> None:
        pending = texts.pop(run_id, None)
        if pending:
            out.append(OutputAdded(run_id, "".join(pending), ()))

    for event in events:
        if isinstance(event, OutputAdded):
            if event.text:
                texts.setdefault(event.run_id, []).append(event.text)
        elif isinstance(event, RunChanged):
            index = run_at.get(event.run.id)
            if index is not None:
                first = out[index]
                if isinstance(first, RunChanged) and first.change is Change.CREATED:
                    event = RunChanged(Change.CREATED, event.run)  # still a new row, with its last snapshot
                out[index] = event
            else:
                flush_output(event.run.id)  # printed before this batch created it: applied (or ignored) first
                run_at[event.run.id] = len(out)
                out.append(event)
        elif isinstance(event, RunDeleted):
            flush_output(event.run_id)
            run_at.pop(event.run_id, None)
            out.append(event)
        else:
            out.append(event)
    for run_id in list(texts):
        flush_output(run_id)
    return [event for event in out if event is not None]


def _valid_text(value: Any) -> Any:
    if type(value) is str:  # not the str enums (RunKind...): they are valid and must stay enums
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, tuple) and all(type(item) is str for item in value):
        return tuple(_valid_text(item) for item in value)
    return value


def scrubbed(event: RunEvent) -> RunEvent:
    """The event with text SQLite cannot store (lone surrogates, say from print() of undecodable bytes)
    replaced by "?", in its own fields and in the run, step, entry or artifact it carries."""
    changes: Dict[str, Any] = {}
    for field in dataclasses.fields(event):
        value = getattr(event, field.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.replace(value, **{
                inner.name: _valid_text(getattr(value, inner.name)) for inner in dataclasses.fields(value)
            })
        changes[field.name] = _valid_text(value)
    return dataclasses.replace(event, **changes)


def _busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


class Writer:
    """Owns `connection` (autocommit mode) on its own thread from construction until close()."""

    def __init__(self, connection: sqlite3.Connection, name: str,
                 on_commit: Optional[Callable[[], None]] = None) -> None:
        self.connection = connection
        self.name = name
        self._on_commit = on_commit  # after every batch: the checkpointer takes it from there
        self.batches = 0  # committed batches, for tests and stats
        self._queue: Deque[_Item] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._caught_up = threading.Condition(self._lock)
        self._writing = threading.Lock()  # held while a batch is written, by the writer thread or a flush
        self._submitted = 0
        self._committed = 0
        self._flushes: List[Tuple[int, concurrent.futures.Future[None]]] = []
        self._urgent = False  # someone waits for what is queued: write it now
        self._asleep = False  # the writer waits to be woken (else it looks at the queue now and then)
        self._oldest = 0.0  # time.monotonic() when the queue last became non-empty
        self._taken = 0  # events the writer has taken from the queue (committed or being written)
        self._closing = False
        self._warned_closed = False
        self._expected_deletes: Set[str] = set()  # writer thread only
        self._thread = threading.Thread(target=self._run, name=f"run-history-writer {name}", daemon=True)
        self._thread.start()

    # --- any thread ------------------------------------------------------------------------------

    def submit(self, event: RunEvent) -> None:
        with self._lock:
            if self._closing:
                if not self._warned_closed:
                    self._warned_closed = True
                    log.warning("run history %s is closed: %s of run %s not stored (and later ones)",
                                self.name, type(event).__name__, run_id_of(event))
                return
            if not self._queue:
                self._oldest = time.monotonic()
            self._queue.append(event)
            self._submitted += 1
            if self._asleep or len(self._queue) == LINGER_MAX_ITEMS:  # else it looks within LINGER_SECONDS
                self._asleep = False
                self._wake.notify()

    def run_task(self, task: Callable[[sqlite3.Connection], T]) -> T:
        """Run `task(connection)` on the writer, after everything submitted before; blocks the caller."""
        if threading.current_thread() is self._thread:
            return task(self.connection)
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        with self._lock:
            if self._closing:
                raise StoreClosed(f"the run history {self.name} is closed")
            self._queue.append((task, future))
            self._submitted += 1
            self._urgent = True
            self._wake.notify()
        return future.result()

    def flush(self) -> concurrent.futures.Future[None]:
        """Resolved once everything submitted so far is committed. When the writer thread is idle, the
        caller writes what is queued itself: two thread hops cost more than a run's commit (on 2 cores,
        ~250 µs against ~75 µs), and a sync reply waits for exactly this."""
        future: concurrent.futures.Future[None] = concurrent.futures.Future()
        with self._lock:
            if self._committed >= self._submitted:
                future.set_result(None)
                return future
            self._flushes.append((self._submitted, future))
            if self._closing or len(self._queue) > INLINE_MAX_EVENTS:
                self._hurry_locked()
                return future
        if self._writing.acquire(blocking=False):
            try:
                self._write_queued(tasks=False)
            finally:
                self._writing.release()
        if not future.done():
            with self._lock:
                self._hurry_locked()
        return future

    def wait_committed(self, timeout: float = 10.0) -> None:
        """Until everything submitted before this call is committed: a read after a change sees it."""
        if threading.current_thread() is self._thread:
            return
        with self._lock:
            target = self._submitted
            if self._committed >= target:
                return
            self._hurry_locked()
            deadline = time.monotonic() + timeout
            while self._committed < target and self._thread.is_alive():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log.warning("run history %s: the writer is %d events behind after %.0f s; reading anyway",
                                self.name, target - self._committed, timeout)
                    return
                self._caught_up.wait(remaining)

    def close(self, timeout: float = 60.0) -> None:
        with self._lock:
            self._closing = True
            self._wake.notify()
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("run history %s: the writer did not finish within %.0f s", self.name, timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    # --- the writer thread -------------------------------------------------------------------------

    def expect_deleted(self, run_ids: Iterable[str]) -> None:
        """Writer thread: these runs are deleted already; the RunDeleted that RunHistory.prune publishes
        for each is skipped instead of running six empty DELETEs per run."""
        if len(self._expected_deletes) > 1_000_000:
            self._expected_deletes.clear()  # echoes that never came (prune called on the store itself)
        self._expected_deletes.update(run_ids)

    def _run(self) -> None:
        while True:
            with self._lock:
                self._wait_for_events_locked()
                if not self._queue:
                    return  # closing, and everything is written
                self._linger_locked()
            with self._writing:
                self._write_queued(tasks=True)

    def _write_queued(self, *, tasks: bool) -> None:
        """Holding `_writing`: write what is queued in one go, then resolve the flushes it satisfies.
        Without `tasks`, only the events before the first task (a task runs on the writer thread)."""
        with self._lock:
            if tasks:
                items = list(self._queue)
                self._queue.clear()
            else:
                items = []
                while self._queue and not isinstance(self._queue[0], tuple):
                    items.append(self._queue.popleft())
            self._taken += len(items)
            target = self._taken
            # Tasks a flush left are the writer thread's, and urgent: run_task's caller is blocked on them.
            self._urgent = bool(self._queue)
            if self._queue:
                self._wake.notify()
        if items:
            try:
                self._write_items(items)
            except BaseException:  # a bug here must not leave flush() and readers waiting forever
                log.exception("run history %s: the writer failed on a batch of %d", self.name, len(items))
            if self._on_commit is not None:
                self._on_commit()
        with self._lock:
            self._committed = max(self._committed, target)
            self._caught_up.notify_all()
            done = [future for at, future in self._flushes if at <= target]
            self._flushes = [(at, future) for at, future in self._flushes if at > target]
        for future in done:
            future.set_result(None)

    def _hurry_locked(self) -> None:
        """Someone waits: what is queued is written without lingering. What the writer has taken already is
        being written anyway (a flush that waits only for it must not hurry the next run's events)."""
        if self._submitted > self._taken:
            self._urgent = True
            self._wake.notify()

    def _wait_for_events_locked(self) -> None:
        idle_since = time.monotonic()
        while not self._queue and not self._closing:
            if self._asleep:
                self._wake.wait()
            elif not self._wake.wait(LINGER_SECONDS) and time.monotonic() - idle_since >= DOZE_AFTER_SECONDS:
                self._asleep = True

    def _linger_locked(self) -> None:
        """Until the oldest queued event has waited LINGER_SECONDS, unless someone waits or the batch is full."""
        deadline = self._oldest + LINGER_SECONDS
        while not (self._urgent or self._closing or len(self._queue) >= LINGER_MAX_ITEMS):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._wake.wait(remaining)

    def _write_items(self, items: List[_Item]) -> None:
        events: List[RunEvent] = []
        for item in items:
            if isinstance(item, tuple):
                self._write_events(events)
                events = []
                self._run_task(*item)
            else:
                events.append(item)
        self._write_events(events)

    def _run_task(self, task: Task, future: concurrent.futures.Future[Any]) -> None:
        try:
            result = task(self.connection)
        except BaseException as exc:
            self._rollback()
            future.set_exception(exc)
        else:
            future.set_result(result)

    def _write_events(self, events: List[RunEvent]) -> None:
        if self._expected_deletes:
            events = [event for event in events if not self._is_echo(event)]
        if not events:
            return
        batch = coalesce(events)
        for attempt in range(BUSY_RETRIES + 1):
            try:
                self._transaction(batch)
                self.batches += 1
                return
            except Exception as exc:
                self._rollback()
                if _busy(exc) and attempt < BUSY_RETRIES:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                log.warning("run history %s: a batch of %d events failed (%s); storing them one by one",
                            self.name, len(events), exc)
                break
        self._write_one_by_one(events)

    def _is_echo(self, event: RunEvent) -> bool:
        if isinstance(event, RunDeleted) and event.run_id in self._expected_deletes:
            self._expected_deletes.discard(event.run_id)
            return True
        return False

    def _write_one_by_one(self, events: List[RunEvent]) -> None:
        failures = 0
        for event in events:
            try:
                try:
                    self._transaction([event])
                except UnicodeEncodeError:
                    self._rollback()
                    self._transaction([scrubbed(event)])
            except Exception:
                self._rollback()
                failures += 1
                if failures <= MAX_LOGGED_FAILURES:
                    log.exception("run history %s: could not store %s of run %s", self.name,
                                  type(event).__name__, run_id_of(event))
        if failures > MAX_LOGGED_FAILURES:
            log.error("run history %s: %d more events of this batch were not stored",
                      self.name, failures - MAX_LOGGED_FAILURES)

    def _transaction(self, events: List[RunEvent]) -> None:
        connection = self.connection
        connection.execute("BEGIN IMMEDIATE")
        logs: List[Tuple[Any, ...]] = []  # consecutive log lines: one executemany, not a statement each
        for event in events:
            if isinstance(event, LogAdded):
                logs.append(log_params(event))
                continue
            if logs:
                connection.executemany(LOG_INSERT, logs)
                logs = []
            write_event(connection, event)
        if logs:
            connection.executemany(LOG_INSERT, logs)
        connection.execute("COMMIT")

    def _rollback(self) -> None:
        if self.connection.in_transaction:
            try:
                self.connection.execute("ROLLBACK")
            except sqlite3.Error:
                log.exception("run history %s: rollback failed", self.name)
