"""Time windows of daily partitions (ARCHITECTURE.md, "Streams").

A run covers the days ``days`` (one, or a contiguous backfill range). Its
window is ``[first day - look-back, last day + 1 day)``, capped at
``now - 1 minute`` (the feed needs about a minute to settle). Rows are filed
under the day of their timestamp; rows of the look-back overlap go to the
first day. Everything is de-duplicated by primary key downstream.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

SETTLE = timedelta(minutes=1)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @property
    def empty(self) -> bool:
        return self.end <= self.start

    def label(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def partition_window(days: Sequence[date], lookback: timedelta, now: datetime) -> Window:
    first, last = min(days), max(days)
    end = min(day_start(last + timedelta(days=1)), now - SETTLE)
    return Window(day_start(first) - lookback, end)


def day_of(moment: datetime | None, days: Sequence[date]) -> date:
    """The partition a row with timestamp ``moment`` is filed under."""
    first, last = min(days), max(days)
    if moment is None:
        return last
    day = moment.astimezone(UTC).date()
    return min(max(day, first), last)
