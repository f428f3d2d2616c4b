"""Live duels: matchmaking, one duel's state and winner rule, Elo, the hub routing players' messages, storage.

Nothing here imports aiohttp: `bridge/practice/routes/ws.py` is the socket side.
"""

from __future__ import annotations

from .hub import Connection, DuelHub, Player

__all__ = ["Connection", "DuelHub", "Player"]
