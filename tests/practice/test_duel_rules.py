"""The duel rules without HTTP: Elo, matchmaking by rating window, and the winner of a duel."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bridge.practice.duels import elo
from bridge.practice.duels.duel import DISCONNECT, FORFEIT, SHUTDOWN, TIME_LIMIT, Contender, Duel, DuelProblem, winner
from bridge.practice.duels.queue import WIDENING, WINDOW, Matchmaking, Seeker


def test_equal_ratings_move_sixteen_points() -> None:
    assert elo.expected_score(1200, 1200) == 0.5
    assert elo.new_ratings(1200, 1200, 1.0) == (1216, 1184)
    assert elo.new_ratings(1200, 1200, 0.0) == (1184, 1216)
    assert elo.new_ratings(1200, 1200, 0.5) == (1200, 1200)


def test_the_favourite_gains_little_and_loses_much() -> None:
    assert elo.expected_score(1400, 1200) == pytest.approx(0.7597, abs=1e-4)
    assert elo.new_ratings(1400, 1200, 1.0) == (1408, 1192)  # 32 * (1 - 0.7597) = 7.7
    assert elo.new_ratings(1400, 1200, 0.0) == (1376, 1224)  # 32 * (0 - 0.7597) = -24.3
    assert elo.new_ratings(1400, 1200, 0.5) == (1392, 1208)  # a draw costs the favourite
    assert sum(elo.new_ratings(1537, 1188, 1.0)) == 1537 + 1188  # what one gains the other loses


def test_a_score_is_a_win_a_draw_or_a_loss() -> None:
    with pytest.raises(ValueError, match=r"score must be 0, 0\.5 or 1, got 0\.7"):
        elo.rating_change(1200, 1200, 0.7)


def seeker(user: str, rating: int, language: str = "python", since: float = 0.0) -> Seeker:
    return Seeker(user, rating, "easy", language, since)


def test_the_nearest_rating_in_the_same_queue_is_matched_first() -> None:
    queue = Matchmaking()
    assert queue.join(seeker("low", 1000)) is None
    assert queue.join(seeker("high", 1400)) is None  # 400 apart: beyond the window, both wait
    assert queue.join(seeker("java", 1330, language="java")) is None  # another language: its own queue
    assert len(queue) == 3
    found = queue.join(seeker("new", 1350))  # 50 from `high`, 350 from `low`
    assert found is not None and found.user_id == "high"
    assert not queue.is_waiting("high") and queue.is_waiting("low") and queue.is_waiting("java")
    assert len(queue) == 2


def test_within_the_window_a_pair_meets_at_once_and_a_tie_goes_to_the_longest_waiting() -> None:
    queue = Matchmaking()
    queue.join(seeker("first", 1250, since=0.0))
    found = queue.join(seeker("second", 1150, since=1.0))  # exactly the window apart
    assert found is not None and found.user_id == "first" and len(queue) == 0
    queue.join(seeker("early", 1100, since=0.0))
    assert queue.join(seeker("later", 1300, since=1.0)) is None  # 200 apart, the window 110 after one second
    found = queue.join(seeker("middle", 1200, since=2.0))  # 100 from each
    assert found is not None and found.user_id == "early"


def test_a_wait_widens_the_window_until_a_pair_can_meet() -> None:
    queue = Matchmaking()
    queue.join(seeker("low", 1000, since=0.0))
    queue.join(seeker("high", 1400, since=5.0))
    assert queue.pair_waiting(now=10.0) == []  # 100 + 10 * 10 s = 200 < 400
    needed = (400 - WINDOW) / WIDENING
    pairs = queue.pair_waiting(now=needed)
    assert [(a.user_id, b.user_id) for a, b in pairs] == [("low", "high")]
    assert len(queue) == 0


def test_one_queue_at_a_time_and_leaving_it() -> None:
    queue = Matchmaking()
    queue.join(seeker("me", 1200))
    with pytest.raises(ValueError, match="me is waiting already"):
        queue.join(seeker("me", 1200, language="cpp"))
    assert queue.leave("me") is True
    assert queue.leave("me") is False
    assert queue.join(seeker("other", 1200)) is None  # `me` is not there to meet


def player(name: str, passed: int = 0, seconds: float | None = None) -> Contender:
    return Contender(name, name, 1, 1200, passed, seconds)


def test_more_tests_passed_wins_then_less_time() -> None:
    assert winner(player("a", 3, 100.0), player("b", 5, 300.0)).username == "b"  # type: ignore[union-attr]
    assert winner(player("a", 5, 100.0), player("b", 5, 300.0)).username == "a"  # type: ignore[union-attr]
    assert winner(player("a", 2, 50.0), player("b", 2, 50.0)) is None  # same tests, same time: a draw
    assert winner(player("a"), player("b")) is None  # nobody passed anything


def test_the_best_submission_counts_and_its_first_time() -> None:
    me = player("me")
    assert me.record(0, 10.0) is False and me.time_seconds is None
    assert me.record(3, 20.0) is True and (me.passed, me.time_seconds) == (3, 20.0)
    assert me.record(2, 30.0) is False  # worse later: the best stays
    assert me.record(3, 40.0) is False and me.time_seconds == 20.0  # as good later: the earlier time stays
    assert me.record(5, 50.0) is True and (me.passed, me.time_seconds) == (5, 50.0)


def duel(a: Contender, b: Contender) -> Duel:
    start = datetime(2026, 12, 4, tzinfo=timezone.utc)
    problem = DuelProblem("p", "Two Sum", "...", "easy", {}, {"python": "def twoSum(nums, target):\n"}, 5)
    return Duel("d", problem, "python", (a, b), start, start + timedelta(seconds=900), 900)


def test_whoever_quits_loses_whatever_the_score() -> None:
    game = duel(player("a", 4, 10.0), player("b"))
    assert game.decide(FORFEIT, quitter="a").username == "b"  # type: ignore[union-attr]
    assert game.decide(DISCONNECT, quitter="b").username == "a"  # type: ignore[union-attr]
    assert game.decide(TIME_LIMIT).username == "a"  # type: ignore[union-attr]
    assert game.decide(SHUTDOWN) is None  # a stopped server decides nothing
    assert not game.solved(game.players[0]) and game.solved(player("c", 5))
