"""Chart geometry: bars proportional to their values, every day of the span present."""

from __future__ import annotations

from datetime import date

from casb_pipeline.reporting.charts import (
    MAX_SHOWN_LABEL,
    SEVERITY_COLORS,
    day_columns,
    row_chart,
)


def test_row_bars_are_proportional_and_the_longest_fills_the_span() -> None:
    chart = row_chart("c", "title", [("a", 10), ("b", 5), ("c", 0)])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert chart.bars[0].x + widths[0] < chart.width
    assert [bar.y for bar in chart.bars] == sorted({bar.y for bar in chart.bars})
    assert not chart.empty
    assert row_chart("c", "title", [("a", 0)]).empty


def test_columns_stack_by_series_and_keep_empty_days() -> None:
    counts = {
        (date(2026, 1, 1), "critical"): 2,
        (date(2026, 1, 1), "low"): 2,
        (date(2026, 1, 4), "high"): 1,
    }
    series = ("critical", "high", "medium", "low")
    chart = day_columns("c", "t", counts, series, SEVERITY_COLORS, min_days=1)
    first_day = [b for b in chart.bars if b.label == "2026-01-01"]
    assert [b.series for b in first_day] == ["critical", "low"]
    critical, low = first_day
    assert critical.height == low.height and low.y + low.height == critical.y  # stacked
    (fourth,) = [b for b in chart.bars if b.label == "2026-01-04"]
    assert fourth.height * 4 == critical.height + low.height
    slots = {b.label: b.x for b in chart.bars}
    assert slots["2026-01-04"] - slots["2026-01-01"] == 3 * (chart.width - 24) / 4
    assert [t.label for t in chart.ticks] == [
        "2026-01-01",
        "2026-01-02",
        "2026-01-03",
        "2026-01-04",
    ]


def test_a_short_history_still_shows_a_week() -> None:
    counts = {(date(2026, 1, 10), "high"): 3}
    chart = day_columns("c", "t", counts, ("high",), SEVERITY_COLORS, max_ticks=7)
    assert chart.ticks[0].label == "2026-01-04"
    (bar,) = chart.bars
    assert bar.width <= 48 and bar.x > chart.width / 2  # one narrow column, at the end


def test_a_long_label_keeps_its_start_and_end_when_drawn() -> None:
    long_id = "claude_proj_01Wc5Rt8Yu2Io4Pa7Sd3Fg6H (org-visible)"
    short, long = row_chart("c", "t", [("claude_proj_x", 2), (long_id, 1)]).bars
    assert short.shown_label == "claude_proj_x"
    assert long.label == long_id  # whole in the bar's title and data-label
    assert long.shown_label == "claude_proj_01Wc5Rt8Y…7Sd3Fg6H (org-visible)"
    assert len(long.shown_label) == MAX_SHOWN_LABEL
