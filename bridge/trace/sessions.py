"""SessionStore: the last run of each session, bounded by count and idle time."""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from ..timefmt import iso
from .worker import Outcome


class SessionNotFound(KeyError):
    """No session with that id (never created, deleted or expired)."""


@dataclass
class Session:
    """A session: the program and the result of its latest run."""

    session_id: str
    created: float
    updated: float
    code: str = ""
    user_input: Union[str, List[str]] = ""
    outcome: Outcome = field(default_factory=lambda: Outcome("completed"))
    runs: int = 0

    def reply(self, with_steps: bool = True) -> Dict[str, Any]:
        """The seed's execute reply for the latest run."""
        total = len(self.outcome.raw_steps)
        last = self.outcome.last_step()
        body: Dict[str, Any] = {
            "session_id": self.session_id,
            "status": self.outcome.status,
            "total_steps": total,
            "current_step": last.get("step", total) if last else 0,
            "stdout": self.outcome.stdout,
            "stderr": self.outcome.stderr,
            "error": self.outcome.error,
            "execution_time": self.outcome.execution_time,
        }
        if with_steps:
            body["steps"] = self.outcome.step_fragments()
        return body

    def summary(self) -> Dict[str, Any]:
        """The listing entry."""
        return {"session_id": self.session_id, "created_at": iso(self.created),
                "updated_at": iso(self.updated), "status": self.outcome.status,
                "total_steps": len(self.outcome.raw_steps), "runs": self.runs, "code_preview": self.code[:80]}

    def detail(self) -> Dict[str, Any]:
        """The full session."""
        body = self.reply()
        body.update(created_at=iso(self.created), updated_at=iso(self.updated), runs=self.runs,
                    code=self.code, user_input=self.user_input)
        return body


class SessionStore:
    """Sessions kept at most `ttl` seconds after their last use, and at most `max_sessions` of them."""

    def __init__(self, max_sessions: int = 200, ttl: float = 3600.0, clock: Callable[[], float] = time.time):
        self.max_sessions = max_sessions
        self.ttl = ttl
        self.clock = clock
        self._sessions: OrderedDict[str, Session] = OrderedDict()  # least recently updated first

    def __len__(self) -> int:
        self._expire()
        return len(self._sessions)

    def _expire(self) -> None:
        horizon = self.clock() - self.ttl
        while self._sessions:
            oldest = next(iter(self._sessions.values()))
            if oldest.updated >= horizon:
                return
            self._sessions.popitem(last=False)

    def get(self, session_id: str) -> Session:
        """The session, or SessionNotFound."""
        self._expire()
        session = self._sessions.get(session_id)
        if session is None:
            raise SessionNotFound(session_id)
        return session

    def open(self, session_id: Optional[str]) -> Session:
        """A new session (id None) or an existing one; unknown ids raise SessionNotFound."""
        if session_id is not None:
            return self.get(session_id)
        now = self.clock()
        return Session(str(uuid.uuid4()), now, now)

    def open_or_create(self, session_id: str) -> Session:
        """The session with this id, created empty if it does not exist (Socket.IO clients name their own)."""
        try:
            return self.get(session_id)
        except SessionNotFound:
            now = self.clock()
            return Session(session_id, now, now)

    def record(self, session: Session, code: str, user_input: Union[str, List[str]],
               outcome: Outcome) -> Session:
        """Store the latest run of a session, making it the newest."""
        session.code, session.user_input, session.outcome = code, user_input, outcome
        session.updated = self.clock()
        session.runs += 1
        self._sessions[session.session_id] = session
        self._sessions.move_to_end(session.session_id)
        self._expire()
        while len(self._sessions) > self.max_sessions:
            self._sessions.popitem(last=False)
        return session

    def page(self, limit: int, offset: int) -> Tuple[List[Session], int]:
        """Sessions newest first, and how many there are."""
        self._expire()
        newest_first = list(reversed(self._sessions.values()))
        return newest_first[offset: offset + limit], len(newest_first)

    def delete(self, session_id: str) -> None:
        """Remove a session, or raise SessionNotFound."""
        self.get(session_id)
        del self._sessions[session_id]
