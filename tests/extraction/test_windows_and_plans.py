"""Partition windows, day filing and the ranges a command runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from casb_pipeline.errors import CasbError
from casb_pipeline.extraction.windows import day_of, partition_window
from casb_pipeline.partition_plan import plan_ranges

D = date(2026, 11, 10)


def test_window_has_look_back_and_stops_short_of_now() -> None:
    now = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    window = partition_window([D], timedelta(hours=1), now)
    assert window.start == datetime(2026, 11, 9, 23, 0, tzinfo=UTC)
    assert window.end == now - timedelta(minutes=1)
    past = partition_window([D - timedelta(days=3)], timedelta(minutes=10), now)
    assert past.end == datetime(2026, 11, 8, tzinfo=UTC)


def test_rows_are_filed_by_day_and_look_back_goes_to_the_first_day() -> None:
    days = [D, D + timedelta(days=1)]
    assert day_of(datetime(2026, 11, 9, 23, 30, tzinfo=UTC), days) == D
    assert day_of(datetime(2026, 11, 11, 8, tzinfo=UTC), days) == D + timedelta(days=1)
    assert day_of(None, days) == D + timedelta(days=1)


def test_first_run_covers_everything_then_only_missing_and_recent_days() -> None:
    first, today = date(2026, 11, 1), date(2026, 11, 10)
    assert plan_ranges(first_day=first, today=today, start=None, end=None, materialized=[]) == [
        (first, today)
    ]
    done = [first + timedelta(days=i) for i in range(10) if i != 3]
    assert plan_ranges(first_day=first, today=today, start=None, end=None, materialized=done) == [
        (date(2026, 11, 4), date(2026, 11, 4)),
        (date(2026, 11, 9), today),
    ]


def test_explicit_dates_are_clipped_and_checked() -> None:
    first, today = date(2026, 11, 1), date(2026, 11, 10)
    plan = plan_ranges(
        first_day=first,
        today=today,
        start=date(2026, 10, 1),
        end=date(2026, 11, 3),
        materialized=[],
    )
    assert plan == [(first, date(2026, 11, 3))]
    with pytest.raises(CasbError, match="after"):
        plan_ranges(first_day=first, today=today, start=today, end=first, materialized=[])
    with pytest.raises(CasbError, match="no partition"):
        plan_ranges(first_day=first, today=today, start=date(2027, 1, 1), end=None, materialized=[])
