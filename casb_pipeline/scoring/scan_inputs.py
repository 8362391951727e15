"""What the DLP step scans for one day, in bounded batches of ``SCAN_COLUMNS``.

- messages of the day's ``chat_messages`` rows (the latest copy of each message
  in the partition), text built as the staging model builds it, part null;
- projects of the day's ``projects`` rows (latest copy), one row per field with
  part ``name``, ``description`` or ``instructions``;
- the day's ``texts`` rows (files, generated files, artifacts, project
  attachments), with their part.

``source_updated_at`` is the version of what is scanned: the message's
``chat_updated_at``, the project's ``updated_at``; null for file texts, whose
objects never change under their id.

A batch holds at most ``max_rows`` rows and, for file texts, whose sizes are
known before they are read, at most ``max_bytes`` of text (a single larger text
is a batch of its own).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from casb_pipeline.lake import Lake
from casb_pipeline.scoring.message_text import message_text
from casb_pipeline.scoring.tables import TEXTS

SCAN_COLUMNS = {
    "source_type": pl.String,
    "source_id": pl.String,
    "chat_id": pl.String,
    "project_id": pl.String,
    "part": pl.String,
    "text": pl.String,
    "source_updated_at": pl.Datetime("us", "UTC"),
}
PROJECT_PARTS = ("name", "description", "instructions")
_ROW = "_row"


@dataclass(frozen=True)
class BatchLimits:
    max_rows: int
    max_bytes: int


def day_batches(lake: Lake, day: date, limits: BatchLimits) -> Iterator[pl.DataFrame]:
    """Every source of ``day`` to scan, a bounded batch at a time."""
    yield from _message_batches(lake, day, limits)
    yield from _project_batches(lake, day, limits)
    yield from _text_batches(lake, day, limits)


def _message_batches(lake: Lake, day: date, limits: BatchLimits) -> Iterator[pl.DataFrame]:
    scan = lake.scan_partition("chat_messages", day)
    if scan is None:
        return
    latest = _latest_rows(scan, "id", ["chat_updated_at", "_extracted_at"])
    rows = [
        pl.lit("chat_message").alias("source_type"),
        pl.col("id").alias("source_id"),
        pl.col("chat_id"),
        pl.lit(None, pl.String).alias("project_id"),
        pl.lit(None, pl.String).alias("part"),
        message_text().alias("text"),
        pl.col("chat_updated_at").alias("source_updated_at"),
    ]
    for offset, length in _slices(latest.len(), limits.max_rows):
        yield _batch(scan, latest, offset, length, rows)


def _project_batches(lake: Lake, day: date, limits: BatchLimits) -> Iterator[pl.DataFrame]:
    scan = lake.scan_partition("projects", day)
    if scan is None:
        return
    latest = _latest_rows(scan, "id", ["updated_at", "_extracted_at"])
    # One row per project and field; a missing field is scanned as empty text, so a
    # project is recorded as scanned even when it has nothing to say.
    fields = [pl.col("id"), pl.col("updated_at"), *(pl.col(part) for part in PROJECT_PARTS)]
    for offset, length in _slices(latest.len(), max(1, limits.max_rows // len(PROJECT_PARTS))):
        wide = _batch(scan, latest, offset, length, fields)
        yield wide.unpivot(
            index=["id", "updated_at"],
            on=list(PROJECT_PARTS),
            variable_name="part",
            value_name="text",
        ).select(
            pl.lit("project").alias("source_type"),
            pl.col("id").alias("source_id"),
            pl.lit(None, pl.String).alias("chat_id"),
            pl.col("id").alias("project_id"),
            pl.col("part"),
            pl.col("text").fill_null(""),
            pl.col("updated_at").alias("source_updated_at"),
        )


def _text_batches(lake: Lake, day: date, limits: BatchLimits) -> Iterator[pl.DataFrame]:
    scan = lake.scan_partition(TEXTS, day)
    if scan is None:
        return
    sizes = (
        scan.select(pl.col("text").str.len_bytes().fill_null(0))
        .collect(engine="streaming")
        .to_series()
    )
    for offset, length in _sized_slices(sizes, limits):
        yield (
            scan.slice(offset, length)
            .with_columns(
                pl.lit(None, SCAN_COLUMNS["source_updated_at"]).alias("source_updated_at")
            )
            .select(list(SCAN_COLUMNS))
            .collect()
        )


def _latest_rows(scan: pl.LazyFrame, key: str, order: Sequence[str]) -> pl.Series:
    """Positions (in file order) of the latest row of each ``key``."""
    return (
        scan.select(key, *order)
        .with_row_index(_ROW)
        .sort(list(order), descending=True, nulls_last=True)
        .unique(subset=[key], keep="first")
        .select(_ROW)
        .collect()
        .to_series()
        .sort()
    )


def _batch(
    scan: pl.LazyFrame, positions: pl.Series, offset: int, length: int, exprs: list[pl.Expr]
) -> pl.DataFrame:
    """The rows at ``positions[offset:offset+length]``, as ``exprs`` shape them."""
    chosen = positions.slice(offset, length)
    first, last = int(chosen[0]), int(chosen[-1])
    window = scan.with_row_index(_ROW).slice(first, last - first + 1)
    return window.filter(pl.col(_ROW).is_in(chosen.implode())).select(exprs).collect()


def _slices(total: int, size: int) -> Iterator[tuple[int, int]]:
    for offset in range(0, total, size):
        yield offset, min(size, total - offset)


def _sized_slices(sizes: pl.Series, limits: BatchLimits) -> Iterator[tuple[int, int]]:
    """Runs of consecutive rows under both limits."""
    start, used = 0, 0
    for index, size in enumerate(sizes.to_list()):
        rows = index - start
        if rows and (rows >= limits.max_rows or used + size > limits.max_bytes):
            yield start, rows
            start, used = index, 0
        used += size
    if start < len(sizes):
        yield start, len(sizes) - start
