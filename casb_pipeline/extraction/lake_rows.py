"""Turning records into lake tables, and reading back what the lake already has."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import polars as pl
import pyarrow as pa

from casb_pipeline.compliance import records_to_table, schema
from casb_pipeline.compliance.schemas import PARTITION
from casb_pipeline.extraction.context import StreamContext, group_by_day
from casb_pipeline.lake import Lake


def write_records(
    ctx: StreamContext,
    stream: str,
    dated: Iterable[tuple[date, Any]],
    reused: dict[date, list[pa.Table]] | None = None,
) -> None:
    """Write ``stream``'s records per day, plus rows re-used from the lake as they were."""
    grouped = group_by_day(dated)
    tables: dict[date, pa.Table] = {}
    for day in ctx.days:
        fresh = records_to_table(
            stream, grouped.get(day, []), extracted_at=ctx.now, partition=day.isoformat()
        )
        parts = [fresh, *[_refile(t, day) for t in (reused or {}).get(day, [])]]
        tables[day] = pa.concat_tables(parts) if len(parts) > 1 else fresh
    ctx.write_days(stream, tables, schema(stream))


def _refile(table: pa.Table, day: date) -> pa.Table:
    """Rows copied from another file keep their extraction time, not their partition."""
    index = table.schema.get_field_index(PARTITION)
    return table.set_column(index, PARTITION, pa.array([day.isoformat()] * table.num_rows))


def lake_rows(lake: Lake, stream: str, column: str, values: Sequence[str]) -> pl.DataFrame:
    """Rows of ``stream`` whose ``column`` is in ``values`` (typed empty frame if none)."""
    frame = lake.scan(stream)
    empty = pl.from_arrow(schema(stream).empty_table())
    if frame is None or not values:
        return empty
    found = frame.filter(pl.col(column).is_in(list(values))).collect()
    return pl.concat([empty, found], how="diagonal_relaxed") if found.width else empty


def to_stream_table(frame: pl.DataFrame, stream: str) -> pa.Table:
    """A frame read back from the lake, cast to ``stream``'s exact schema."""
    target = schema(stream)
    return frame.select(target.names).to_arrow().cast(target)


def latest_by(frame: pl.DataFrame, key: str, order: Sequence[str]) -> pl.DataFrame:
    """One row per ``key``: the last by ``order`` (descending priority)."""
    if frame.is_empty():
        return frame
    return frame.sort(list(order), descending=True, nulls_last=True).unique(
        subset=[key], keep="first", maintain_order=True
    )


def timestamp_equal(left: datetime | None, right: datetime | None) -> bool:
    if left is None or right is None:
        return False
    return left == right
