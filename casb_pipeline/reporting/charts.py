"""Chart geometry for the HTML report: bars laid out in SVG user units.

Pure layout, no markup: the template draws each :class:`Bar` as a
``<rect>``, so every label passes through its escaping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

SEVERITY_COLORS = {
    "critical": "#b3261e",
    "high": "#e8710a",
    "medium": "#d4a106",
    "low": "#4f7cc4",
}
NEUTRAL = "#4a6572"

WIDTH = 720
ROW_HEIGHT = 26
LABEL_WIDTH = 300
VALUE_GUTTER = 60
MAX_SHOWN_LABEL = 44  # characters of 12 px text that fit LABEL_WIDTH
COLUMN_CHART_HEIGHT = 260
MAX_COLUMN_WIDTH = 48
AXIS_HEIGHT = 40
TOP = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    color: str
    series: str = ""

    @property
    def text(self) -> str:
        return f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,.1f}"

    @property
    def shown_label(self) -> str:
        """The label as drawn beside a row: a long one keeps its start and its end (ids
        differ at the end); the whole label stays in the bar's title and data-label."""
        if len(self.label) <= MAX_SHOWN_LABEL:
            return self.label
        head = (MAX_SHOWN_LABEL - 1) // 2
        return self.label[:head] + "…" + self.label[-(MAX_SHOWN_LABEL - 1 - head) :]


@dataclass(frozen=True)
class Tick:
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    """One chart: ``kind`` is ``rows`` (horizontal bars) or ``columns`` (stacked by day)."""

    chart_id: str
    title: str
    kind: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def row_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float]],
    colors: Mapping[str, str] | None = None,
) -> Chart:
    """Horizontal bars, one per (label, value), longest = full width."""
    top = max((value for _, value in items), default=0)
    span = WIDTH - LABEL_WIDTH - VALUE_GUTTER
    bars = [
        Bar(
            label=label,
            value=value,
            x=LABEL_WIDTH,
            y=TOP + index * ROW_HEIGHT,
            width=round(span * value / top, 2) if top else 0.0,
            height=ROW_HEIGHT - 8,
            color=(colors or {}).get(label, NEUTRAL),
        )
        for index, (label, value) in enumerate(items)
    ]
    height = TOP * 2 + max(len(items), 1) * ROW_HEIGHT
    return Chart(chart_id, title, "rows", WIDTH, height, bars)


def day_columns(
    chart_id: str,
    title: str,
    counts: Mapping[tuple[date, str], int],
    series: Sequence[str],
    colors: Mapping[str, str],
    max_ticks: int = 8,
    min_days: int = 7,
) -> Chart:
    """Columns per day up to the last day with data, stacked by ``series``.

    The axis starts at the first day with data, or ``min_days`` before the
    last one when that is earlier, so a first run does not fill the chart
    with one column.
    """
    days = sorted({day for day, _ in counts})
    if not days:
        return Chart(chart_id, title, "columns", WIDTH, COLUMN_CHART_HEIGHT)
    first = min(days[0], days[-1] - timedelta(days=min_days - 1))
    span_days = [first + timedelta(days=n) for n in range((days[-1] - first).days + 1)]
    totals = [sum(counts.get((day, s), 0) for s in series) for day in span_days]
    plot_height = COLUMN_CHART_HEIGHT - AXIS_HEIGHT - TOP
    slot = (WIDTH - 2 * TOP) / len(span_days)
    scale = plot_height / max(totals)
    bar_width = round(min(slot * 0.8, MAX_COLUMN_WIDTH), 2)
    bars: list[Bar] = []
    for index, day in enumerate(span_days):
        base = TOP + plot_height
        for name in series:
            value = counts.get((day, name), 0)
            if not value:
                continue
            height = round(value * scale, 2)
            base -= height
            bars.append(
                Bar(
                    label=day.isoformat(),
                    value=value,
                    x=round(TOP + index * slot + (slot - bar_width) / 2, 2),
                    y=round(base, 2),
                    width=bar_width,
                    height=height,
                    color=colors[name],
                    series=name,
                )
            )
    every = max(1, -(-len(span_days) // max_ticks))
    tick_y = COLUMN_CHART_HEIGHT - AXIS_HEIGHT / 2
    ticks = [
        Tick(day.isoformat(), round(TOP + (i + 0.5) * slot, 2), tick_y)
        for i, day in enumerate(span_days)
        if i % every == 0
    ]
    legend = [(name, colors[name]) for name in series]
    return Chart(chart_id, title, "columns", WIDTH, COLUMN_CHART_HEIGHT, bars, ticks, legend)
