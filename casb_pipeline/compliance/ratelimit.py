"""Client-side request budget shared by every worker (and client) of a run.

A token bucket paces requests at ``rpm`` per minute. Its burst is a tenth of
a minute's budget, so over any 60-second window at most ``1.1 × rpm``
requests leave: with the default 480 that stays under the API's 600/min
whatever window the server counts in. On top of the bucket, signals from the
server hold *every* request until they expire:

* ``anthropic-ratelimit-requests-remaining: 0`` holds until
  ``anthropic-ratelimit-requests-reset`` (an RFC 3339 time);
* a 429's ``retry-after`` holds for that many seconds.

``rpm=0`` turns the bucket off; the server's signals are still obeyed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from casb_pipeline.compliance.timestamps import parse_timestamp

REMAINING_HEADER = "anthropic-ratelimit-requests-remaining"
RESET_HEADER = "anthropic-ratelimit-requests-reset"
# Refill arithmetic in floats can leave a token at 0.999…; that counts as whole.
_EPSILON = 1e-9


class RateLimiter:
    """Thread-safe; pass one instance to several clients to share one budget.

    ``max_hold`` bounds any single server-requested hold (seconds), so a
    skewed clock or a bogus header cannot stall a run for long.
    """

    def __init__(
        self,
        rpm: int,
        *,
        max_hold: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if rpm < 0:
            raise ValueError("rpm must be 0 (off) or positive")
        self.rpm = rpm
        self.max_hold = max_hold
        self._rate = rpm / 60.0
        self._capacity = max(1.0, rpm / 10.0)
        self._tokens = self._capacity
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._updated = clock()
        self._held_until = 0.0

    def __repr__(self) -> str:
        return f"RateLimiter(rpm={self.rpm})"

    def acquire(self) -> float:
        """Block until one request may leave; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                delay = self._take_or_delay()
            if delay <= 0:
                return waited
            self._sleep(delay)
            waited += delay

    def _take_or_delay(self) -> float:
        now = self._clock()
        if now < self._held_until:
            return self._held_until - now
        if not self._rate:
            return 0.0
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        if self._tokens >= 1.0 - _EPSILON:
            self._tokens = max(0.0, self._tokens - 1.0)
            return 0.0
        return (1.0 - self._tokens) / self._rate

    def hold(self, seconds: float) -> None:
        """Hold every request for ``seconds`` (capped at ``max_hold``)."""
        if seconds <= 0:
            return
        until = self._clock() + min(seconds, self.max_hold)
        with self._lock:
            self._held_until = max(self._held_until, until)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Read the server's budget headers of any response."""
        remaining = headers.get(REMAINING_HEADER)
        reset = headers.get(RESET_HEADER)
        if remaining is None or reset is None or remaining.strip() != "0":
            return
        try:
            reset_at = parse_timestamp(reset)
        except ValueError:
            return
        self.hold((reset_at - self._wall_clock()).total_seconds())
