"""Precision and recall of findings against labelled spans."""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.policy import PII_RECORD

_KEYS = ["source_id", "detector", "start", "end"]


def score(findings: pl.DataFrame, labels: pl.DataFrame) -> pl.DataFrame:
    """Per detector and overall (``detector`` = ``all``): labels, findings,
    true positives, precision and recall. A finding counts only with the
    label's detector and exact span; PII records (composites) are left out."""
    found = findings.filter(pl.col("detector") != PII_RECORD).select(_KEYS).unique()
    expected = labels.select(_KEYS).unique()
    hits = found.join(expected, on=_KEYS, how="semi")

    def counts(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        return frame.group_by("detector").agg(pl.len().alias(name))

    per_detector = (
        counts(expected, "labels")
        .join(counts(found, "findings"), on="detector", how="full", coalesce=True)
        .join(counts(hits, "true_positives"), on="detector", how="full", coalesce=True)
        .fill_null(0)
    )
    overall = per_detector.select(pl.lit("all").alias("detector"), pl.exclude("detector").sum())
    return pl.concat([per_detector.sort("detector"), overall]).with_columns(
        precision=pl.col("true_positives") / pl.col("findings"),
        recall=pl.col("true_positives") / pl.col("labels"),
    )
