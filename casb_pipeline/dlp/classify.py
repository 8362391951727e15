"""Detectors applied to candidates: accepted matches with confidence levels."""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.detectors.base import CONTEXT, VALUE, Detector
from casb_pipeline.dlp.masking import guarded

MASKED = pl.col("masked")

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
    as the passes find them, so a chain is a run of consecutive rows and is
    found with shifts and running sums (window functions over thousands of
    tiny groups cost far more)."""
    if not detector.context:
        return frame.with_columns(context_hit=pl.lit(False))
    joined = (pl.col("row") == pl.col("row").shift(1)) & (
        pl.col("start") - pl.col("end").shift(1) <= window
    )
    hit = pl.col("hit").cast(pl.UInt32)
    first, last = pl.col("first"), pl.col("first").shift(-1, fill_value=True)
    hits_before = pl.when(first).then(hit.cum_sum() - hit).forward_fill()
    hits_through = pl.when(last).then(hit.cum_sum()).backward_fill()
    return (
        frame.with_columns(
            hit=CONTEXT.str.contains(detector.context), first=~joined.fill_null(False)
        )
        .with_columns(context_hit=hits_through > hits_before)
        .drop("hit", "first")
    )


def _cheap_filters(
    candidates: dict[str, pl.DataFrame], detectors: list[Detector], floors: dict[str, int]
) -> dict[int, pl.Series]:
    """Which candidates of its pass each detector (by position) looks at: its
    ``prefilter``, and its ``at_most`` against its floor. The conditions of
    one pass are evaluated in one query, so the parts they share (digit
    counts, letters) are computed once."""
    conditions: dict[str, dict[str, pl.Expr]] = {}
    for position, detector in enumerate(detectors):
        floor = max(1, floors.get(detector.id, 1))
        condition = detector.prefilter
        if detector.at_most is not None and floor > 1:
            capped = detector.at_most >= floor
            condition = capped if condition is None else condition & capped
        if condition is not None and detector.scanner in candidates:
            conditions.setdefault(detector.scanner, {})[str(position)] = condition
    masks = pl.collect_all(
        [candidates[scanner].lazy().select(**named) for scanner, named in conditions.items()],
        engine="in-memory",
    )
    return {int(name): mask.get_column(name) for mask in masks for name in mask.columns}


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
    kept = _cheap_filters(candidates, detectors, floors)
    plans = []
    for priority, detector in enumerate(detectors):
        floor = max(1, floors.get(detector.id, 1))
        frame = candidates.get(detector.scanner)
        if frame is not None and priority in kept:
            frame = frame.filter(kept[priority])
        if frame is None or frame.is_empty():
            continue
        detector_id = pl.lit(detector.id)
        accepted = frame.lazy().filter(detector.accept.fill_null(False))
        plans.append(
            _with_context(accepted, detector, window)
            .with_columns(confidence=detector.confidence)
            .with_columns(
                confidence=detector.level(pl.col("context_hit"), pl.col("confidence")).fill_null(0)
            )
            .filter(pl.col("confidence") >= floor)
            # Each rendering is computed once, then checked against the value
            # and the normalised value in turn (nesting the expressions would
            # evaluate the rendering four times).
            .with_columns(normalised=detector.normalised, masked=detector.masked)
            .with_columns(masked=guarded(MASKED, VALUE, detector_id))
            .with_columns(masked=guarded(MASKED, pl.col("normalised"), detector_id))
            .select(
                "row",
                "start",
                "end",
                "context_hit",
                "normalised",
                "masked",
                detector=detector_id,
                priority=pl.lit(priority, dtype=pl.Int32),
                confidence=pl.col("confidence").cast(pl.Int32),
                severity=pl.lit(detector.severity, dtype=pl.Int32),
            )
            .select(list(MATCH_SCHEMA))
        )
    if not plans:
        return pl.DataFrame(schema=MATCH_SCHEMA)
    return pl.concat(pl.collect_all(plans, engine="in-memory")).cast(MATCH_SCHEMA)
