"""Elo ratings: everyone starts at 1200; a duel moves both by K=32 times (score - expected score)."""

from __future__ import annotations

from typing import Tuple

START = 1200
K = 32


def expected_score(rating: int, opponent: int) -> float:
    """The chance `rating` beats `opponent` (a draw counting half), by the standard logistic formula."""
    return 1.0 / (1.0 + 10.0 ** ((opponent - rating) / 400.0))


def rating_change(rating: int, opponent: int, score: float) -> int:
    """Points the first player gains (negative: loses) for `score`: 1 a win, 0.5 a draw, 0 a loss."""
    if score not in (0.0, 0.5, 1.0):
        raise ValueError(f"score must be 0, 0.5 or 1, got {score}")
    return round(K * (score - expected_score(rating, opponent)))


def new_ratings(first: int, second: int, first_score: float) -> Tuple[int, int]:
    """Both ratings after a duel; what one gains the other loses, so rounding never makes points."""
    change = rating_change(first, second, first_score)
    return first + change, second - change
