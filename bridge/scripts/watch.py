"""ScriptWatcher: reload the registry when script files are added, changed or removed (debounced)."""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Optional

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from .registry import ScriptRegistry

log = logging.getLogger("bridge")

# Editors save in bursts (write temp, rename, touch); one reload after the burst is enough.
DEFAULT_DEBOUNCE_SECONDS = 0.25


class _Changes(FileSystemEventHandler):
    def __init__(self, watcher: ScriptWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if any(_is_script_path(str(p)) for p in paths if p):
            self.watcher.poke()


def _is_script_path(path: str) -> bool:
    name = Path(path).name
    return name.endswith(".py") and "__pycache__" not in path


class ScriptWatcher:
    """Watches the registry's directories with watchdog and reloads once changes settle."""

    def __init__(self, registry: ScriptRegistry, debounce_seconds: float = DEFAULT_DEBOUNCE_SECONDS) -> None:
        self.registry = registry
        self.debounce_seconds = debounce_seconds
        self._observer: Optional[BaseObserver] = None
        self._timer: Optional[threading.Timer] = None
        self._lock = threading.Lock()
        self._stopped = False

    def start(self) -> None:
        observer = Observer()
        handler = _Changes(self)
        for directory in self.registry.dirs:
            if directory.is_dir():
                observer.schedule(handler, str(directory), recursive=False)
            else:
                log.warning("scripts directory %s does not exist; create it and restart", directory)
        observer.daemon = True
        observer.start()
        self._observer = observer

    def poke(self) -> None:
        """A file changed: (re)start the debounce timer."""
        with self._lock:
            if self._stopped:
                return
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.debounce_seconds, self._reload)
            self._timer.daemon = True
            self._timer.start()

    def _reload(self) -> None:
        try:
            self.registry.reload()
        except Exception:  # keep watching; the next change retries
            log.exception("reloading editor scripts failed")

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        observer = self._observer
        self._observer = None
        if observer is not None:
            observer.stop()
            observer.join(5)
