"""Named persistent globals for REPL-like use (`session_id`), expiring when idle."""
from __future__ import annotations

import builtins
import threading
import time
from typing import Any, Dict, Optional, Tuple

SESSION_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"


def fresh_globals() -> Dict[str, Any]:
    """What a script run as `__main__` starts with."""
    return {"__name__": "__main__", "__builtins__": builtins, "__doc__": None, "__package__": None, "__spec__": None}


class SessionStore:
    """Globals by session id; a session idle for longer than `ttl_seconds` is forgotten."""

    def __init__(self, ttl_seconds: float = 3600.0) -> None:
        self.ttl_seconds = ttl_seconds
        self._sessions: Dict[str, Tuple[Dict[str, Any], float]] = {}
        self._lock = threading.Lock()

    def globals_for(self, session_id: Optional[str]) -> Dict[str, Any]:
        """The session's globals (created on first use), or fresh ones without a session."""
        if session_id is None:
            return fresh_globals()
        now = time.monotonic()
        with self._lock:
            self._expire_locked(now)
            entry = self._sessions.get(session_id)
            namespace = entry[0] if entry else fresh_globals()
            self._sessions[session_id] = (namespace, now)
            return namespace

    def _expire_locked(self, now: float) -> None:
        for key, (_, used) in list(self._sessions.items()):
            if now - used > self.ttl_seconds:
                del self._sessions[key]
