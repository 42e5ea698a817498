"""Sliding-window rate limits against form spam, per address and per client.

Kept in memory: a restart forgets them, which costs a spammer nothing they did not have
(each sign-up still needs its confirmation). Old entries are dropped as they age out, so
memory follows the traffic of the last window, not all time.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimit:
    """At most ``limit`` events per ``window`` seconds for each key."""

    def __init__(
        self, limit: int, window: float = 3600.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def allow(self, key: str) -> bool:
        """Count one event for ``key``; False (and not counted) when over the limit."""
        now = self.clock()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            times = self._seen.setdefault(key, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again (for the Retry-After header)."""
        with self._lock:
            times = self._seen.get(key)
            if not times:
                return 0
            return max(1, int(times[0] + self.window - self.clock()) + 1)

    def _sweep(self, now: float) -> None:
        cutoff = now - self.window
        for key in [k for k, times in self._seen.items() if not times or times[-1] <= cutoff]:
            del self._seen[key]
        self._next_sweep = now + self.window / 10
