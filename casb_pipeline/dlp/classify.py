"""Detectors applied to candidates: accepted matches with confidence levels."""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.detectors.base import CONTEXT, VALUE, Detector
from casb_pipeline.dlp.masking import guarded

MATCH_SCHEMA = {
    "row": pl.UInt32,
    "start": pl.Int64,
    "end": pl.Int64,
    "detector": pl.String,
    "priority": pl.Int32,
    "confidence": pl.Int32,
    "severity": pl.Int32,
    "context_hit": pl.Boolean,
    "normalised": pl.String,
    "masked": pl.String,
}


def _with_context(frame: pl.LazyFrame, detector: Detector, window: int) -> pl.LazyFrame:
    """``context_hit`` per match. A context word near one value also counts
    for the values of the same kind that follow it closely (a header above a
    column of numbers): hits spread along chains of matches whose gaps are at
    most ``window`` characters. Candidates arrive in text order (row, start),
    as the passes find them."""
    if not detector.context:
        return frame.with_columns(context_hit=pl.lit(False))
    gap = pl.col("start") - pl.col("end").shift(1).over("row")
    return (
        frame.with_columns(hit=CONTEXT.str.contains(detector.context))
        .with_columns(chain=(gap.is_null() | (gap > window)).cast(pl.UInt32).cum_sum())
        .with_columns(context_hit=pl.col("hit").any().over("chain"))
    )


def classify(
    candidates: dict[str, pl.DataFrame],
    detectors: list[Detector],
    window: int,
    floors: dict[str, int] | None = None,
) -> pl.DataFrame:
    """Every accepted match of every detector, as ``MATCH_SCHEMA`` rows, down
    to the confidence ``floors`` give per detector id (default: low).

    The loop runs over detectors (a few dozen); each step is one expression
    over all candidates of the detector's pass.
    """
    floors = floors or {}
    plans = []
    for priority, detector in enumerate(detectors):
        floor = max(1, floors.get(detector.id, 1))
        frame = candidates.get(detector.scanner)
        if frame is not None and detector.prefilter is not None:
            frame = frame.filter(detector.prefilter)
        if frame is not None and detector.at_most is not None and floor > 1:
            frame = frame.filter(detector.at_most >= floor)
        if frame is None or frame.is_empty():
            continue
        accepted = frame.lazy().filter(detector.accept.fill_null(False))
        plans.append(
            _with_context(accepted, detector, window)
            .with_columns(confidence=detector.level(pl.col("context_hit")).fill_null(0))
            .filter(pl.col("confidence") >= floor)
            .select(
                "row",
                "start",
                "end",
                "context_hit",
                detector=pl.lit(detector.id),
                priority=pl.lit(priority, dtype=pl.Int32),
                confidence=pl.col("confidence").cast(pl.Int32),
                severity=pl.lit(detector.severity, dtype=pl.Int32),
                normalised=detector.normalised,
                masked=guarded(
                    guarded(detector.masked, VALUE, pl.lit(detector.id)),
                    detector.normalised,
                    pl.lit(detector.id),
                ),
            )
            .select(list(MATCH_SCHEMA))
        )
    if not plans:
        return pl.DataFrame(schema=MATCH_SCHEMA)
    return pl.concat(pl.collect_all(plans)).cast(MATCH_SCHEMA)
