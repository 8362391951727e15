"""Request accounting of one client, safe to update from many threads."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class RequestStats:
    """Requests and retries by endpoint template, bytes, waits and malformed records."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._retries: Counter[str] = Counter()
        self._malformed: Counter[str] = Counter()
        self._bytes = 0
        self._waited = 0.0

    def __repr__(self) -> str:
        return f"RequestStats({self.snapshot()!r})"

    def request(self, endpoint: str, waited: float) -> None:
        with self._lock:
            self._requests[endpoint] += 1
            self._waited += waited

    def retry(self, endpoint: str) -> None:
        with self._lock:
            self._retries[endpoint] += 1

    def downloaded(self, size: int) -> None:
        with self._lock:
            self._bytes += size

    def malformed(self, stream: str) -> None:
        with self._lock:
            self._malformed[stream] += 1

    @property
    def requests_total(self) -> int:
        with self._lock:
            return sum(self._requests.values())

    def snapshot(self) -> dict[str, Any]:
        """A JSON-safe copy (for run metadata): nothing here is secret."""
        with self._lock:
            return {
                "requests": dict(self._requests),
                "requests_total": sum(self._requests.values()),
                "retries": dict(self._retries),
                "retries_total": sum(self._retries.values()),
                "bytes_downloaded": self._bytes,
                "rate_limit_wait_seconds": round(self._waited, 3),
                "malformed_records": dict(self._malformed),
            }
