"""Matchmaking: players wait by (difficulty, language) and meet the nearest rating that their wait allows.

Two players may meet when their ratings differ by at most WINDOW points, plus WIDENING for every second the
longer-waiting of them has waited, so a strong player is not kept waiting forever for an equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

WINDOW = 100
WIDENING = 10  # rating points per second waited

Key = Tuple[str, str]  # (difficulty, language)


@dataclass(frozen=True)
class Seeker:
    user_id: str
    rating: int
    difficulty: str
    language: str
    since: float  # when they joined, on the hub's monotonic clock

    @property
    def key(self) -> Key:
        return self.difficulty, self.language


def may_meet(a: Seeker, b: Seeker, now: float) -> bool:
    waited = now - min(a.since, b.since)
    return abs(a.rating - b.rating) <= WINDOW + WIDENING * max(waited, 0.0)


class Matchmaking:
    """The waiting players; each can wait in one queue at a time."""

    def __init__(self) -> None:
        self._waiting: Dict[Key, List[Seeker]] = {}
        self._key_of: Dict[str, Key] = {}

    def __len__(self) -> int:
        return len(self._key_of)

    def is_waiting(self, user_id: str) -> bool:
        return user_id in self._key_of

    def join(self, seeker: Seeker) -> Optional[Seeker]:
        """The opponent for `seeker` (taken off the queue), or None when `seeker` now waits."""
        if seeker.user_id in self._key_of:
            raise ValueError(f"{seeker.user_id} is waiting already")
        found = self._nearest(seeker, self._waiting.get(seeker.key, []), seeker.since)
        if found is not None:
            self.leave(found.user_id)
            return found
        self._waiting.setdefault(seeker.key, []).append(seeker)
        self._key_of[seeker.user_id] = seeker.key
        return None

    def leave(self, user_id: str) -> bool:
        """Take `user_id` off their queue; False when they were not waiting."""
        key = self._key_of.pop(user_id, None)
        if key is None:
            return False
        self._waiting[key] = [s for s in self._waiting[key] if s.user_id != user_id]
        if not self._waiting[key]:
            del self._waiting[key]
        return True

    def pair_waiting(self, now: float) -> List[Tuple[Seeker, Seeker]]:
        """Pairs that the widened windows allow now, longest waiters served first; they leave the queue."""
        pairs: List[Tuple[Seeker, Seeker]] = []
        for key in list(self._waiting):
            waiting = list(self._waiting[key])  # oldest first
            while waiting:
                first = waiting.pop(0)
                found = self._nearest(first, waiting, now)
                if found is None:
                    continue
                waiting.remove(found)
                self.leave(first.user_id)
                self.leave(found.user_id)
                pairs.append((first, found))
        return pairs

    @staticmethod
    def _nearest(seeker: Seeker, waiting: List[Seeker], now: float) -> Optional[Seeker]:
        allowed = [s for s in waiting if s.user_id != seeker.user_id and may_meet(seeker, s, now)]
        if not allowed:
            return None
        return min(allowed, key=lambda s: (abs(s.rating - seeker.rating), s.since))
