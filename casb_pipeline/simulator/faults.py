"""Injected failures, off by default: random (a rate) or deterministic (the next N requests).

Kinds: ``429`` (with ``retry-after`` and the rate-limit headers), ``500``,
``502``, ``503``, ``500_no_retry`` (``x-should-retry: false``), ``slow``
(~0.5 s delay), ``drop`` (connection closed mid-response), ``malformed``
(truncated JSON body; JSON responses only) and ``bad_md5`` (wrong
``Content-MD5``; file and generated-file content only).
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

FAULT_KINDS: tuple[str, ...] = (
    "429",
    "500",
    "502",
    "503",
    "500_no_retry",
    "slow",
    "drop",
    "malformed",
    "bad_md5",
)


def applicable(kind: str, *, streamed: bool) -> bool:
    """Whether ``kind`` can hit a response that is streamed bytes (True) or JSON (False)."""
    if kind == "bad_md5":
        return streamed
    if kind == "malformed":
        return not streamed
    return True


@dataclass
class _Pending:
    kind: str
    remaining: int
    pattern: re.Pattern[str] | None


def _check(kinds: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(kinds)
    unknown = [kind for kind in chosen if kind not in FAULT_KINDS]
    if unknown:
        raise ValueError(f"unknown fault kind(s) {unknown}: use {', '.join(FAULT_KINDS)}")
    return chosen


class FaultPlan:
    """Thread-safe: the server asks :meth:`pick` once per authenticated request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rate = 0.0
        self._kinds: tuple[str, ...] = FAULT_KINDS
        self._random = random.Random(0)
        self._pattern: re.Pattern[str] | None = None
        self._pending: list[_Pending] = []

    def set(
        self,
        *,
        rate: float = 0.0,
        kinds: Iterable[str] = FAULT_KINDS,
        seed: int = 0,
        endpoints: str | None = None,
    ) -> None:
        """Fail a fraction ``rate`` of requests (whose path matches ``endpoints``)."""
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"fault rate {rate} must be between 0 and 1")
        with self._lock:
            self._rate = rate
            self._kinds = _check(kinds)
            self._random = random.Random(seed)
            self._pattern = re.compile(endpoints) if endpoints else None

    def fail_next(self, kind: str, *, times: int = 1, endpoints: str | None = None) -> None:
        """Fail the next ``times`` requests (whose path matches ``endpoints``) with ``kind``."""
        _check([kind])
        with self._lock:
            self._pending.append(
                _Pending(kind, times, re.compile(endpoints) if endpoints else None)
            )

    def clear(self) -> None:
        with self._lock:
            self._rate = 0.0
            self._pending.clear()
            self._pattern = None

    def pick(self, path: str, *, streamed: bool) -> str | None:
        """The fault for this request, if any (consumes a deterministic one)."""
        with self._lock:
            for pending in self._pending:
                if pending.pattern is not None and not pending.pattern.search(path):
                    continue
                if not applicable(pending.kind, streamed=streamed):
                    continue
                pending.remaining -= 1
                if pending.remaining <= 0:
                    self._pending.remove(pending)
                return pending.kind
            if self._rate <= 0.0 or (self._pattern is not None and not self._pattern.search(path)):
                return None
            if self._random.random() >= self._rate:
                return None
            kinds = [kind for kind in self._kinds if applicable(kind, streamed=streamed)]
            return self._random.choice(kinds) if kinds else None
