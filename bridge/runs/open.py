"""open_store(): the store the settings ask for, in its data directory."""
from __future__ import annotations

from pathlib import Path

from .settings import HistorySettings
from .store import MemoryStore, RunStore

DATABASE_NAME = "history.sqlite3"


def data_dir(settings: HistorySettings, default: Path) -> Path:
    """Where the history and its artifacts live: the setting, else `default` (the project's Saved folder)."""
    return Path(settings.data_dir) if settings.data_dir is not None else default


def open_store(settings: HistorySettings, default_dir: Path) -> RunStore:
    if settings.store == "memory":
        return MemoryStore()
    from .sqlite import SqliteStore  # sqlite3 is stdlib, but a memory history should not open files

    directory = data_dir(settings, default_dir)
    directory.mkdir(parents=True, exist_ok=True)
    return SqliteStore(directory / DATABASE_NAME)
