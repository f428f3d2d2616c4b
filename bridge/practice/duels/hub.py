"""The duel hub: who is connected, who waits, the running duels and their timers, and every message between them.

It speaks to players through `Connection`s (the socket side, routes/ws.py, supplies them) and raises
PracticeError for a message it refuses; the socket side answers that with an `error` message.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Coroutine, Dict, List, Optional, Protocol, Set

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .. import problems
from ..errors import PracticeError, conflict, not_found
from ..judge.judge import Judge
from ..levels import level_for
from ..models import SubmissionRequest
from ..settings import PracticeSettings
from ..tables import User
from ..timefmt import iso, now
from . import store
from .duel import DISCONNECT, FORFEIT, SHUTDOWN, SOLVED, TIME_LIMIT, Contender, Duel, DuelProblem
from .messages import error_message
from .queue import Matchmaking, Seeker

log = logging.getLogger("bridge.practice.duels")
PAIRING_EVERY_SECONDS = 1.0  # how often waiting players' widened windows are tried again
GOING_AWAY = 1001
REPLACED = 4000


class Connection(Protocol):
    """One player's open socket."""

    async def send(self, message: Dict[str, Any]) -> None: ...

    async def close(self, code: int, reason: str) -> None: ...


@dataclass(frozen=True)
class Player:
    user_id: str
    username: str
    level: int
    rating: int

    @classmethod
    def of(cls, user: User) -> Player:
        return cls(user.id, user.username, level_for(user.xp_total), user.rating)

    def to_json(self) -> Dict[str, Any]:
        return {"id": self.user_id, "username": self.username, "level": self.level, "rating": self.rating}


class DuelHub:
    """Every connected player of one practice app; one queue or one duel per player at a time."""

    def __init__(self, judge: Judge, settings: PracticeSettings) -> None:
        self._judge = judge
        self._start_delay = timedelta(seconds=settings.duel_start_delay_seconds)
        self._time_limit = settings.duel_time_limit_seconds
        self._grace_seconds = settings.duel_reconnect_seconds
        self._sessions: Optional[async_sessionmaker[AsyncSession]] = None
        self._problems: Dict[str, List[DuelProblem]] = {}
        self._connections: Dict[str, Connection] = {}
        self._queue = Matchmaking()
        self._waiting: Dict[str, Player] = {}  # as they were when they joined the queue
        self._duel_of: Dict[str, Duel] = {}
        self._end_timers: Dict[str, asyncio.Task[None]] = {}  # duel id -> its time limit
        self._grace: Dict[str, asyncio.Task[None]] = {}  # user id -> their forfeit if they stay away
        self._judging: Dict[str, asyncio.Task[None]] = {}  # user id -> their submission being judged
        self._pairing: Optional[asyncio.Task[None]] = None
        self._tasks: Set[asyncio.Task[None]] = set()
        self._closing = False

    # lifecycle

    async def start(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Load the problems to duel on; duels a previous server left running are aborted."""
        self._sessions = sessions
        async with sessions() as s:
            await store.abort_stale(s)
            for p in await store.load_problems(s):
                self._problems.setdefault(p.difficulty, []).append(p)

    async def shutdown(self) -> None:
        """End every running duel (aborted, unrated), stop the timers and judging, close every socket."""
        if self._closing:
            return
        self._closing = True
        for duel in {id(d): d for d in self._duel_of.values()}.values():
            await self._finish(duel, SHUTDOWN)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for connection in list(self._connections.values()):
            await connection.close(GOING_AWAY, "The server is shutting down")
        self._connections.clear()

    def _db(self) -> AsyncSession:
        if self._sessions is None:
            raise RuntimeError("the duel hub was not started: the app's startup runs DuelHub.start()")
        return self._sessions()

    # connections

    async def player(self, user_id: str) -> Optional[Player]:
        """The account as it is now (rating and level change), or None when it no longer exists."""
        async with self._db() as s:
            user = await s.get(User, user_id)
        return None if user is None else Player.of(user)

    async def connect(self, player: Player, connection: Connection) -> None:
        """An authenticated socket; a player back within their grace period is put back in their duel."""
        if self._closing:
            await connection.close(GOING_AWAY, "The server is shutting down")
            return
        uid = player.user_id
        older = self._connections.get(uid)
        self._connections[uid] = connection
        await connection.send({"type": "authenticated", "user": player.to_json()})
        if older is not None and older is not connection:
            await older.close(REPLACED, "Replaced by a newer connection of the same account")
        duel = self._duel_of.get(uid)
        if duel is None:
            return
        came_back = duel.disconnected.pop(uid, None) is not None
        grace = self._grace.pop(uid, None)
        if grace is not None:
            grace.cancel()
        await connection.send(duel.state(uid))
        if came_back:
            await self._tell_opponent(duel, uid, "reconnected")

    async def disconnect(self, user_id: str, connection: Connection) -> None:
        """A socket closed: its player leaves the queue; in a duel, the grace period to come back starts."""
        if self._connections.get(user_id) is not connection:
            return  # replaced by a newer socket, which keeps the player's place
        del self._connections[user_id]
        if self._queue.leave(user_id):
            del self._waiting[user_id]
        duel = self._duel_of.get(user_id)
        if duel is None or self._closing:
            return
        duel.disconnected[user_id] = now()
        self._grace[user_id] = self._spawn(self._forfeit_unless_back(duel, user_id))
        await self._tell_opponent(duel, user_id, "disconnected")

    async def _forfeit_unless_back(self, duel: Duel, user_id: str) -> None:
        await asyncio.sleep(self._grace_seconds)
        self._grace.pop(user_id, None)
        await self._finish(duel, DISCONNECT, quitter=user_id)

    # the queue

    async def join_queue(self, user_id: str, difficulty: str, language: str) -> None:
        player = await self.player(user_id)
        if player is None:
            raise PracticeError(401, "No account for this token; sign up first")
        if user_id in self._duel_of:
            raise conflict("You are in a duel already; finish or forfeit it before joining the queue")
        if self._queue.is_waiting(user_id):
            raise conflict("You are in the queue already; send leave-queue first to change difficulty or language")
        if not self._problems.get(difficulty):
            raise not_found(f"There are no {difficulty} problems to duel on")
        seeker = Seeker(user_id, player.rating, difficulty, language, time.monotonic())
        opponent = self._queue.join(seeker)
        if opponent is None:
            self._waiting[user_id] = player
            await self._send(user_id, {"type": "queued", "difficulty": difficulty, "language": language})
            if self._pairing is None or self._pairing.done():
                self._pairing = self._spawn(self._pair_while_waiting())
            return
        await self._start_duel(self._waiting.pop(opponent.user_id), player, difficulty, language)

    async def leave_queue(self, user_id: str) -> None:
        if not self._queue.leave(user_id):
            raise conflict("You are not in the queue")
        del self._waiting[user_id]
        await self._send(user_id, {"type": "left-queue"})

    async def _pair_while_waiting(self) -> None:
        while len(self._queue):
            await asyncio.sleep(PAIRING_EVERY_SECONDS)
            for first, second in self._queue.pair_waiting(time.monotonic()):
                await self._start_duel(self._waiting.pop(first.user_id), self._waiting.pop(second.user_id),
                                       first.difficulty, first.language)

    async def _start_duel(self, first: Player, second: Player, difficulty: str, language: str) -> None:
        problem = random.choice(self._problems[difficulty])
        starts_at = now() + self._start_delay
        duel = Duel(id=str(uuid.uuid4()), problem=problem, language=language,
                    players=(Contender(first.user_id, first.username, first.level, first.rating),
                             Contender(second.user_id, second.username, second.level, second.rating)),
                    starts_at=starts_at, ends_at=starts_at + timedelta(seconds=self._time_limit),
                    time_limit_seconds=self._time_limit)
        for p in duel.players:
            self._duel_of[p.user_id] = duel
        self._end_timers[duel.id] = self._spawn(self._end_at_time_limit(duel))
        async with self._db() as s:
            await store.create(s, duel)
        for p in duel.players:
            await self._send(p.user_id, duel.match_found(p.user_id))

    async def _end_at_time_limit(self, duel: Duel) -> None:
        await asyncio.sleep(max((duel.ends_at - now()).total_seconds(), 0.0))
        self._end_timers.pop(duel.id, None)
        await self._finish(duel, TIME_LIMIT)

    # in a duel

    def _own_duel(self, user_id: str, duel_id: str) -> Duel:
        duel = self._duel_of.get(user_id)
        if duel is None:
            raise not_found(f"You are in no running duel; duel {duel_id!r} is over or not yours")
        if duel.id != duel_id:
            raise not_found(f"Duel {duel_id!r} is not yours; your running duel is {duel.id}")
        return duel

    async def submit(self, user_id: str, duel_id: str, code: str) -> None:
        """Judge the code like any submission (its history and first-time XP included); the result comes later."""
        duel = self._own_duel(user_id, duel_id)
        moment = now()
        if moment < duel.starts_at:
            raise conflict(f"The duel starts at {iso(duel.starts_at)}; submit after that")
        if moment >= duel.ends_at:
            raise conflict("The duel's time is up")
        if user_id in self._judging:
            raise conflict("Your previous submission is still being judged; wait for its code-result")
        self._judging[user_id] = self._spawn(self._judge_submission(duel, user_id, code, duel.seconds_in(moment)))

    async def _judge_submission(self, duel: Duel, user_id: str, code: str, seconds: float) -> None:
        try:
            request = SubmissionRequest(problem_id=duel.problem.id, code=code, language=duel.language)
            try:
                async with self._db() as s:
                    result = await problems.submit(s, self._judge, user_id, request)
            except PracticeError as exc:  # the judge is busy or cannot run code here
                await self._send(user_id, error_message(exc, "code-submit"))
                return
            except Exception:
                log.exception("judging a duel submission of %s failed", user_id)
                await self._send(user_id, error_message(
                    PracticeError(500, "The submission could not be judged; the server log has the details"),
                    "code-submit"))
                return
        finally:
            self._judging.pop(user_id, None)
        me = duel.contender(user_id)
        if not duel.over:  # judged after the end: recorded as a submission, not counted in the duel
            me.record(result["passed_tests"], seconds)
        await self._send(user_id, {
            "type": "code-result", "player": "self", "duel_id": duel.id, "status": result["status"],
            "passed_tests": result["passed_tests"], "total_tests": result["total_tests"],
            "xp_earned": result["xp_earned"], "submission_id": result["id"], "error": result["error"],
            "test_results": result["test_results"]})
        if duel.over:
            return
        await self._tell_opponent(duel, user_id)
        if duel.solved(me):  # nobody can pass more tests, nor sooner
            await self._finish(duel, SOLVED)

    async def forfeit(self, user_id: str, duel_id: str) -> None:
        await self._finish(self._own_duel(user_id, duel_id), FORFEIT, quitter=user_id)

    async def say(self, user_id: str, duel_id: str, message: str) -> None:
        duel = self._own_duel(user_id, duel_id)
        await self._send(duel.opponent(user_id).user_id, {
            "type": "receive-message", "from": duel.contender(user_id).username, "message": message,
            "timestamp": iso(now())})

    async def _finish(self, duel: Duel, reason: str, quitter: Optional[str] = None) -> None:
        """End the duel once: its row and both ratings saved together, then duel-complete to both."""
        if duel.over:
            return
        duel.over = True
        current = asyncio.current_task()
        timers = [self._end_timers.pop(duel.id, None)] + [self._grace.pop(p.user_id, None) for p in duel.players]
        for timer in timers:
            if timer is not None and timer is not current:
                timer.cancel()
        for p in duel.players:
            if self._duel_of.get(p.user_id) is duel:
                del self._duel_of[p.user_id]
        won_by = duel.decide(reason, quitter)
        async with self._db() as s:
            ratings = await store.finish(s, duel, won_by, reason)

        def side(p: Contender) -> Dict[str, Any]:
            rated = ratings.get(p.user_id, store.Rated(p.rating, 0))
            seconds = None if p.time_seconds is None else round(p.time_seconds, 1)
            return {"username": p.username, "passed_tests": p.passed, "time_seconds": seconds,
                    "rating": rated.rating, "rating_change": rated.change}

        message = {"type": "duel-complete", "duel_id": duel.id, "winner": won_by.username if won_by else None,
                   "reason": reason, "player1": side(duel.players[0]), "player2": side(duel.players[1])}
        for p in duel.players:
            await self._send(p.user_id, message)

    # plumbing

    async def _tell_opponent(self, duel: Duel, user_id: str, status: Optional[str] = None) -> None:
        """`opponent-progress` about `user_id` to the other player; `status` overrides solving/solved."""
        me = duel.contender(user_id)
        progress = {**duel.progress(me), **({"status": status} if status else {})}
        await self._send(duel.opponent(user_id).user_id,
                         {"type": "opponent-progress", "opponent": me.username, **progress})

    async def _send(self, user_id: str, message: Dict[str, Any]) -> None:
        connection = self._connections.get(user_id)
        if connection is not None:
            await connection.send(message)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._forget)
        return task

    def _forget(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("duel task failed", exc_info=task.exception())
