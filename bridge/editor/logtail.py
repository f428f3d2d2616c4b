"""EngineLogTail: the engine's own warnings and errors from the editor log, attached to the job that ran then.

A job's prints and `unreal.log*` calls are captured directly; what the engine itself logs (a
failed import, a missing asset, a shader error) only reaches `Saved/Logs/<Project>.log`. The tail
follows that file with watchdog and, when a job finishes, adds the Warning and Error lines written
during the job to its `logs`. Lines are placed in time by their own UTC timestamp when it is
plausible, else by when they were read (the engine's log writer flushes asynchronously).
"""
from __future__ import annotations

import asyncio
import bisect
import collections
import logging
import re
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import AsyncIterator, Deque, List, Optional

from aiohttp import web
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from ..api import state
from .jobs import Job, LogEntry
from .runner import JobRunner

log = logging.getLogger("bridge")

# `[2024.01.15-10.23.45:123][456]LogTexture: Warning: message`; the time prefix is optional.
LINE = re.compile(
    r"^(?:\[(?P<stamp>\d{4}\.\d{2}\.\d{2}-\d{2}\.\d{2}\.\d{2}:\d{3})\]\[\s*\d+\])?"
    r"(?P<category>\w+): (?P<level>Warning|Error|Fatal): (?P<message>.*)$"
)
# The bridge's own capture is teed to LogPython; those lines are already in the job's logs.
OWN_CATEGORIES = frozenset({"LogPython"})
# How late a line may be read after the job ended and still count (async log writer flushes).
READ_GRACE_SECONDS = 0.5
# A parsed stamp further than this from the read time is in local time or stale: ignore it.
STAMP_TRUST_SECONDS = 5.0


def parse_line(text: str, read_at: float) -> Optional[LogEntry]:
    """A warning or error from another category than the bridge's own, or None."""
    match = LINE.match(text.rstrip("\r"))
    if match is None or match.group("category") in OWN_CATEGORIES:
        return None
    level = "warning" if match.group("level") == "Warning" else "error"
    when = read_at
    stamp = match.group("stamp")
    if stamp:
        moment = datetime.strptime(stamp + "000", "%Y.%m.%d-%H.%M.%S:%f")
        parsed = moment.replace(tzinfo=timezone.utc).timestamp()
        if abs(parsed - read_at) <= STAMP_TRUST_SECONDS:
            when = parsed
    return LogEntry(when, level, f"{match.group('category')}: {match.group('message')}")


class EngineLogTail:
    """Follows one log file from its current end; keeps recent warnings and errors in time order."""

    def __init__(self, path: Path, keep: int = 5000) -> None:
        self.path = path
        self.entries: Deque[LogEntry] = collections.deque(maxlen=keep)
        self._offset = 0
        self._partial = b""
        self._lock = threading.Lock()
        self._observer: Optional[BaseObserver] = None

    def skip_existing(self) -> None:
        """Start reading at the current end: earlier sessions' lines belong to no job."""
        with self._lock:
            try:
                self._offset = self.path.stat().st_size
            except OSError:
                self._offset = 0
            self._partial = b""

    def start(self) -> None:
        """Skip what is already in the file, then follow it with watchdog."""
        self.skip_existing()
        observer = Observer()
        observer.schedule(_FileChanged(self), str(self.path.parent), recursive=False)
        observer.daemon = True
        observer.start()
        self._observer = observer

    def stop(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            observer.join(5)

    def read_new(self) -> int:
        """Read what was appended since the last call; returns how many entries were kept."""
        with self._lock:
            try:
                with self.path.open("rb") as handle:
                    handle.seek(0, 2)
                    size = handle.tell()
                    if size < self._offset:  # truncated or replaced: a new editor session
                        self._offset, self._partial = 0, b""
                    handle.seek(self._offset)
                    data = handle.read()
            except OSError:
                return 0
            self._offset += len(data)
            lines = (self._partial + data).split(b"\n")
            self._partial = lines.pop()
            now = time.time()
            kept = 0
            for raw in lines:
                entry = parse_line(raw.decode("utf-8", "replace").lstrip("\ufeff"), now)
                if entry is not None:
                    self.entries.append(entry)
                    kept += 1
            return kept

    def between(self, start: float, end: float) -> List[LogEntry]:
        with self._lock:
            return [entry for entry in self.entries if start <= entry.time <= end]

    def attach(self, job: Job) -> int:
        """Read the log, then add the engine's warnings and errors from the job's window to its logs;
        how many were added."""
        self.read_new()
        return self.attach_read(job)

    def attach_read(self, job: Job) -> int:
        """`attach` without reading the file first: for a batch of jobs after one `read_new`."""
        if job.started_at is None or job.ended_at is None:
            return 0
        found = self.between(job.started_at, job.ended_at + READ_GRACE_SECONDS)
        if found:
            times = [entry.time for entry in job.logs]
            for entry in found:
                index = bisect.bisect_right(times, entry.time)
                job.logs.insert(index, entry)
                times.insert(index, entry.time)
        return len(found)


class _FileChanged(FileSystemEventHandler):
    def __init__(self, tail: EngineLogTail) -> None:
        self.tail = tail

    def on_modified(self, event: FileSystemEvent) -> None:
        if Path(str(event.src_path)) == self.tail.path:
            self.tail.read_new()

    on_created = on_modified


def engine_log_path(unreal: ModuleType) -> Optional[Path]:
    """Game thread: `<project log dir>/<Project>.log`, or None when this editor has no such file."""
    try:
        directory = Path(unreal.Paths.project_log_dir())
        name = str(unreal.SystemLibrary.get_game_name())
    except Exception:  # a build (or the mock) without these: nothing to tail
        return None
    path = directory / f"{name}.log"
    return path if path.is_file() else None


def attach_engine_log(app: web.Application, runner: JobRunner, path: Optional[Path]) -> None:
    """Tail `path` while the app serves and attach its lines to each finished job. No-op for None."""
    if path is None:
        return
    tail = EngineLogTail(path)

    async def watching(app: web.Application) -> AsyncIterator[None]:
        tail.start()
        yield
        tail.stop()

    app.cleanup_ctx.append(watching)
    app.cleanup_ctx.append(state.background_task(lambda app: _attach_finished_jobs(runner, tail)))


async def _attach_finished_jobs(runner: JobRunner, tail: EngineLogTail) -> None:
    """Every READ_GRACE_SECONDS, attach lines to the jobs that finished in the previous window.

    Polling the store costs nothing per job on the game thread, unlike a per-job event.
    """
    loop = asyncio.get_running_loop()
    done_until = time.time()
    while True:
        await asyncio.sleep(READ_GRACE_SECONDS)
        cutoff = time.time() - READ_GRACE_SECONDS  # the engine flushes its log asynchronously
        jobs = [
            job for job in runner.store.list()
            if job.started_at is not None and job.ended_at is not None and done_until < job.ended_at <= cutoff
        ]
        done_until = max(done_until, cutoff)
        if jobs:
            await loop.run_in_executor(None, _attach_all, tail, jobs)


def _attach_all(tail: EngineLogTail, jobs: List[Job]) -> None:
    tail.read_new()
    newest = tail.entries[-1].time if tail.entries else None
    if newest is None or newest < min(job.started_at or 0.0 for job in jobs):
        return  # nothing was logged while these jobs ran
    for job in jobs:
        try:
            tail.attach_read(job)
        except Exception as exc:  # the log is a courtesy; never break the server over it
            log.warning("could not attach editor log lines to job %s: %s", job.id, exc)
