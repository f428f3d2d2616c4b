"""The headless host's remote-execution server: started when `remote_execution.enabled` is set."""
from __future__ import annotations

import getpass
import os
import platform
from types import ModuleType
from typing import Any, Callable, Dict, Optional

from ..config import Settings
from ..editor.runner import JobRunner
from ..remote_exec.server import RemoteExecutionServer


def pong_identity(unreal: ModuleType) -> Dict[str, str]:
    """Game thread: who this editor is, as its pong says (the names Epic's editor sends)."""

    def ask(read: Callable[[], Any], fallback: str = "unknown") -> str:
        try:
            return str(read())
        except Exception:  # an engine build without one of these must still answer
            return fallback

    return {
        "user": ask(getpass.getuser),
        "machine": platform.node() or "unknown",
        "engine_version": ask(unreal.SystemLibrary.get_engine_version),
        "engine_root": ask(lambda: os.path.abspath(unreal.Paths.engine_dir()) + os.sep),
        "project_root": ask(lambda: os.path.abspath(unreal.Paths.project_dir()) + os.sep),
        "project_name": ask(unreal.SystemLibrary.get_game_name),
    }


def start_remote_execution(
    runner: JobRunner, unreal: ModuleType, settings: Settings
) -> Optional[RemoteExecutionServer]:
    """Game thread: the server, started, when the setting turns it on; else None. Raises OSError when the
    multicast group cannot be joined."""
    if not settings.remote_execution.enabled:
        return None
    server = RemoteExecutionServer(runner, settings.remote_execution, pong_identity(unreal))
    server.start()
    return server
