"""Request budgets per client address and per signed-in user, counted by the `limits` library."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Dict

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string


@dataclass(frozen=True)
class Budget:
    """Where one client stands in one window: what X-RateLimit-* and Retry-After say."""

    limit: int
    remaining: int
    reset_at: float  # epoch seconds when the window starts over
    allowed: bool

    def headers(self) -> Dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset_at)),
        }

    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset_at - time.time()))


class RateLimits:
    """The two budgets of the seed: per IP (every request) and per user (requests with a valid token)."""

    def __init__(self, per_user: str, per_ip: str, storage_uri: str) -> None:
        # The async strategies need the storage's async flavour: "memory://" becomes "async+memory://".
        uri = storage_uri if storage_uri.startswith("async+") else f"async+{storage_uri}"
        found = storage_from_string(uri)
        if not isinstance(found, Storage):
            raise ValueError(f"rate_limit_storage {storage_uri!r} has no async implementation")
        self.storage = found
        self.limiter = FixedWindowRateLimiter(self.storage)
        self.per_user: RateLimitItem = parse(per_user)
        self.per_ip: RateLimitItem = parse(per_ip)

    async def _spend(self, item: RateLimitItem, *who: str) -> Budget:
        allowed = await self.limiter.hit(item, *who)
        stats = await self.limiter.get_window_stats(item, *who)
        return Budget(item.amount, max(0, stats.remaining), stats.reset_time, allowed)

    async def spend_ip(self, address: str) -> Budget:
        return await self._spend(self.per_ip, "ip", address)

    async def spend_user(self, user_id: str) -> Budget:
        return await self._spend(self.per_user, "user", user_id)
