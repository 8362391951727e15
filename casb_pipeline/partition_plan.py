"""Which daily partitions a command runs, as contiguous ranges (one run each)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from casb_pipeline.errors import CasbError

RECENT_DAYS = 2


def daily_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def plan_ranges(
    *,
    first_day: date,
    today: date,
    start: date | None,
    end: date | None,
    materialized: Collection[date],
) -> list[tuple[date, date]]:
    """Ranges of days to run.

    With ``start``/``end``: exactly those days (clipped to the partition set).
    Without: every day not yet materialised plus the last ``RECENT_DAYS`` days,
    so a first run inventories everything and later runs catch up.
    """
    if start or end:
        if start and end and start > end:
            raise CasbError(f"--start {start} is after --end {end}")
        first, last = start or first_day, end or today
        if last < first_day or first > today:
            raise CasbError(
                f"no partition between {first} and {last}: partitions run from "
                f"{first_day} to {today}"
            )
        days = daily_range(max(first, first_day), min(last, today))
    else:
        recent = today - timedelta(days=RECENT_DAYS - 1)
        done = set(materialized)
        days = [d for d in daily_range(first_day, today) if d >= recent or d not in done]
    return _contiguous(days)


def _contiguous(days: list[date]) -> list[tuple[date, date]]:
    ranges: list[tuple[date, date]] = []
    for day in sorted(days):
        if ranges and ranges[-1][1] + timedelta(days=1) == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges
