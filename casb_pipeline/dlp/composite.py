"""The PII-record composite: several kinds of personal data close together.

Matches of one text, sorted by position, are cut into clusters wherever the
gap to the previous match exceeds the record window; a cluster holding at
least ``record_min_types`` distinct kinds becomes one ``pii_record`` finding
spanning the cluster. Pure column arithmetic, no loop over matches.
"""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.policy import PII_RECORD, PII_RECORD_PARTS
from casb_pipeline.dlp.spans import previous_reach

_PARTS_SEPARATOR = "\x1f"


def pii_records(matches: pl.DataFrame, window: int, min_types: int) -> pl.DataFrame:
    """``pii_record`` rows built from ``matches`` (columns ``row``, ``start``,
    ``end``, ``detector``, ``confidence``, ``normalised``); same columns."""
    parts = matches.filter(pl.col("detector").is_in(PII_RECORD_PARTS)).sort("row", "start")
    previous_end = previous_reach()
    new_cluster = previous_end.is_null() | (pl.col("start") - previous_end > window)
    clusters = parts.with_columns(cluster=new_cluster.cast(pl.UInt32).cum_sum())
    # Most clusters are a lone value: only those with enough values to hold
    # enough kinds are aggregated.
    large = clusters.group_by("cluster").len().filter(pl.col("len") >= min_types)
    records = (
        clusters.join(large, on="cluster", how="semi")
        .group_by("row", "cluster")
        .agg(
            start=pl.col("start").min(),
            end=pl.col("end").max(),
            kinds=pl.col("detector").unique().sort(),
            values=pl.col("detector").len(),
            confidence=pl.col("confidence").min(),
            normalised=pl.concat_str("detector", pl.lit(":"), "normalised")
            .sort()
            .str.join(_PARTS_SEPARATOR),
        )
        .filter(pl.col("kinds").list.len() >= min_types)
    )
    return records.select(
        "row",
        "start",
        "end",
        "confidence",
        "normalised",
        detector=pl.lit(PII_RECORD),
        masked=pl.concat_str(
            pl.lit("pii record: "),
            pl.col("kinds").list.join(", "),
            pl.lit(" ("),
            pl.col("values").cast(pl.String),
            pl.lit(" values)"),
        ),
    ).sort("row", "start")
