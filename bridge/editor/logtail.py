"""EngineLogTail: the engine's own warnings and errors from the editor log, attached to the run that ran then.

A job's prints and `unreal.log*` calls are captured directly; what the engine itself logs (a
failed import, a missing asset, a shader error) only reaches `Saved/Logs/<Project>.log`. The tail
follows that file with watchdog and, shortly after a run finishes, adds the Warning and Error
lines written during the run to its logs through the history. Lines are placed in time by their
own UTC timestamp when it is plausible, else by when they were read (the engine's log writer
flushes asynchronously).
"""
from __future__ import annotations

import asyncio
import collections
import logging
import re
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Deque, List, Optional

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from ..runs import LogEntry, LogLevel, Run, RunHistory, RunKind
from ..runs.events import Change, RunChanged, RunEvent

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
    level = LogLevel.WARNING if match.group("level") == "Warning" else LogLevel.ERROR
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

    def attach(self, history: RunHistory, run: Run) -> int:
        """Read the log, then add the engine's warnings and errors from the run's window to its logs;
        how many were added."""
        self.read_new()
        return self.attach_read(history, run)

    def attach_read(self, history: RunHistory, run: Run) -> int:
        """`attach` without reading the file first: for a batch of runs after one `read_new`."""
        if run.started_at is None or run.completed_at is None:
            return 0
        found = self.between(run.started_at, run.completed_at + READ_GRACE_SECONDS)
        history.append_logs(run.id, found)
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


class FinishedRunAttacher:
    """Hands the editor runs that finished to the tail, READ_GRACE_SECONDS after they did.

    `on_event` is a history subscriber (it only queues: it runs on the game thread); `run` is
    the loop that reads the log off the event loop and attaches what it found.
    """

    KINDS = frozenset({RunKind.EDITOR, RunKind.SCRIPT})

    def __init__(self, tail: EngineLogTail, history: RunHistory) -> None:
        self.tail = tail
        self.history = history
        self._finished: Deque[Run] = collections.deque()

    def on_event(self, event: RunEvent) -> None:
        if isinstance(event, RunChanged) and event.change is Change.FINISHED and event.run.kind in self.KINDS:
            self._finished.append(event.run)

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(READ_GRACE_SECONDS)
            cutoff = time.time() - READ_GRACE_SECONDS  # the engine flushes its log asynchronously
            due: List[Run] = []
            while self._finished and (self._finished[0].completed_at or 0.0) <= cutoff:
                due.append(self._finished.popleft())
            if due:
                await loop.run_in_executor(None, self.attach_all, due)

    def attach_all(self, runs: List[Run]) -> None:
        self.tail.read_new()
        newest = self.tail.entries[-1].time if self.tail.entries else None
        if newest is None or newest < min(run.started_at or 0.0 for run in runs):
            return  # nothing was logged while these runs ran
        for run in runs:
            try:
                self.tail.attach_read(self.history, run)
            except Exception as exc:  # the log is a courtesy; never break the server over it
                log.warning("could not attach editor log lines to run %s: %s", run.id, exc)
