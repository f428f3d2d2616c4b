"""One duel's state and its winner rule: more tests passed (best submission) wins, then the faster of the two."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, Optional, Tuple

from ..timefmt import iso

# How a duel can end (the `end_reason` of its row and of duel-complete).
SOLVED, FORFEIT, TIME_LIMIT, DISCONNECT, SHUTDOWN = "solved", "forfeit", "time_limit", "disconnect", "server_shutdown"


@dataclass(frozen=True)
class DuelProblem:
    """What a duel needs of a problem: what players see, and how many tests the judge runs."""

    id: str
    title: str
    description: str
    difficulty: str
    signature: Dict[str, Any]
    starter_code: Dict[str, str]
    total_tests: int


@dataclass
class Contender:
    """A player in a duel, with their best submission so far."""

    user_id: str
    username: str
    level: int
    rating: int
    passed: int = 0
    time_seconds: Optional[float] = None  # from the start to the best submission; None before any test passed

    def record(self, passed: int, seconds: float) -> bool:
        """Count a judged submission; True when it is their new best (more tests than any before)."""
        if passed <= self.passed:
            return False
        self.passed, self.time_seconds = passed, seconds
        return True


def winner(a: Contender, b: Contender) -> Optional[Contender]:
    """More tests passed wins, then less time to that result; None is a draw (equal, or nothing passed)."""
    if a.passed != b.passed:
        return a if a.passed > b.passed else b
    if a.passed == 0 or a.time_seconds == b.time_seconds:
        return None
    assert a.time_seconds is not None and b.time_seconds is not None
    return a if a.time_seconds < b.time_seconds else b


@dataclass
class Duel:
    id: str
    problem: DuelProblem
    language: str
    players: Tuple[Contender, Contender]
    starts_at: datetime
    ends_at: datetime
    time_limit_seconds: int
    over: bool = False
    disconnected: Dict[str, datetime] = field(default_factory=dict)

    def contender(self, user_id: str) -> Contender:
        for player in self.players:
            if player.user_id == user_id:
                return player
        raise KeyError(f"{user_id} is not in duel {self.id}")

    def opponent(self, user_id: str) -> Contender:
        first, second = self.players
        return second if first.user_id == user_id else first

    def seconds_in(self, moment: datetime) -> float:
        return (moment - self.starts_at).total_seconds()

    def solved(self, player: Contender) -> bool:
        return player.passed >= self.problem.total_tests

    def decide(self, reason: str, quitter: Optional[str] = None) -> Optional[Contender]:
        """The winner when the duel ends for `reason`; whoever forfeits or stays away loses whatever the score."""
        if reason == SHUTDOWN:
            return None
        if quitter is not None:
            return self.opponent(quitter)
        return winner(*self.players)

    def progress(self, player: Contender) -> Dict[str, Any]:
        return {"passed_tests": player.passed, "total_tests": self.problem.total_tests,
                "status": "solved" if self.solved(player) else "solving"}

    def match_found(self, user_id: str) -> Dict[str, Any]:
        """The seed's match-found for `user_id`, plus the language, the end, and the problem's starter and signature."""
        them = self.opponent(user_id)
        p = self.problem
        return {"type": "match-found", "duel_id": self.id,
                "opponent": {"username": them.username, "level": them.level, "rating": them.rating},
                "problem": {"id": p.id, "title": p.title, "description": p.description, "difficulty": p.difficulty,
                            "time_limit_seconds": self.time_limit_seconds,
                            "starter_code": p.starter_code[self.language], "function_signature": p.signature},
                "language": self.language, "starts_at": iso(self.starts_at), "ends_at": iso(self.ends_at)}

    def state(self, user_id: str) -> Dict[str, Any]:
        """match-found again, with both players' progress: what a reconnected page restores itself from."""
        me, them = self.contender(user_id), self.opponent(user_id)
        return {**self.match_found(user_id), "type": "duel-state", "you": self.progress(me),
                "opponent_progress": {"opponent": them.username, **self.progress(them),
                                      **({"status": "disconnected"} if them.user_id in self.disconnected else {})}}
