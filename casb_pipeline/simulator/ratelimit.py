"""The per-parent request budget: a fixed window per UTC minute, shared by every key."""

from __future__ import annotations

import math
import threading
from datetime import UTC, datetime

from casb_pipeline.simulator.config import DOCUMENTED_RATE_LIMIT_RPM


def _reset_header(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class RateLimiter:
    """``rpm`` requests per calendar minute; 0 turns the limit (and its headers) off."""

    def __init__(self, rpm: int) -> None:
        self._lock = threading.Lock()
        self._rpm = rpm
        self._window = -1
        self._used = 0

    def set(self, rpm: int) -> None:
        if rpm < 0:
            raise ValueError(f"rate limit {rpm} must be 0 (off) or more")
        with self._lock:
            self._rpm = rpm

    def take(self, now: float) -> tuple[bool, dict[str, str]]:
        """Count one request: (allowed, the ``anthropic-ratelimit-*`` headers to send)."""
        with self._lock:
            if self._rpm == 0:
                return True, {}
            window = int(now // 60)
            if window != self._window:
                self._window, self._used = window, 0
            reset = (window + 1) * 60
            allowed = self._used < self._rpm
            if allowed:
                self._used += 1
            headers = self._headers(self._rpm - self._used, reset)
            if not allowed:
                headers["retry-after"] = str(max(1, math.ceil(reset - now)))
            return allowed, headers

    def peek(self, now: float) -> dict[str, str]:
        """The headers as they stand, without counting a request.

        With the limit off they describe the documented 600/min budget, untouched.
        """
        with self._lock:
            window = int(now // 60)
            if self._rpm == 0:
                return self._headers(
                    DOCUMENTED_RATE_LIMIT_RPM, (window + 1) * 60, DOCUMENTED_RATE_LIMIT_RPM
                )
            used = self._used if window == self._window else 0
            return self._headers(self._rpm - used, (window + 1) * 60)

    def _headers(self, remaining: int, reset: float, limit: int | None = None) -> dict[str, str]:
        return {
            "anthropic-ratelimit-requests-limit": str(limit or self._rpm),
            "anthropic-ratelimit-requests-remaining": str(max(0, remaining)),
            "anthropic-ratelimit-requests-reset": _reset_header(reset),
        }

    @property
    def rpm(self) -> int:
        return self._rpm
