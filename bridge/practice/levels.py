"""Levels from XP: level n needs 250·n·(n-1) XP (0, 500, 1500, 3000, ...), as the seed's 1500 XP -> level 3."""

from __future__ import annotations

from typing import Dict, List

MAX_LEVEL = 50


def xp_required(level: int) -> int:
    return 250 * level * (level - 1)


def level_for(xp: int) -> int:
    level = 1
    while level < MAX_LEVEL and xp >= xp_required(level + 1):
        level += 1
    return level


def level_table(up_to: int = 10) -> List[Dict[str, int]]:
    return [{"level": n, "xp_required": xp_required(n)} for n in range(1, up_to + 1)]
