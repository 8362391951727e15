"""Run the candidate passes (built-in and custom) over a batch of texts."""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from casb_pipeline.dlp.detectors.base import VALUE
from casb_pipeline.dlp.locate import MARK, locate
from casb_pipeline.dlp.normalise import digits_of
from casb_pipeline.dlp.scanners import Scanner


def find_candidates(
    texts: pl.DataFrame,
    scanners: list[Scanner],
    window: int,
    digits_for: Collection[str] = (),
) -> dict[str, pl.DataFrame]:
    """Candidates of each pass, keyed by scanner name; the passes named in
    ``digits_for`` also get ``digits`` (the value's digits).

    A pass's row filter runs eagerly on its own first: inside one lazy query
    Polars would merge it with the pass's pattern into one predicate and run
    the costly pattern on every row.
    """
    scrub = bool(texts.get_column("text").str.contains(MARK, literal=True).any())
    plans = []
    for scanner in scanners:
        rows = texts
        if scanner.row_filter is not None:
            rows = texts.filter(pl.col("text").str.contains(scanner.row_filter))
        found = locate(
            rows.lazy(), scanner.pattern, window=window, scrub=scrub, skip_rows=not scanner.dense
        )
        if scanner.drop is not None:
            found = found.filter(~scanner.drop)
        if scanner.name in digits_for:
            found = found.with_columns(digits=digits_of(VALUE))
        plans.append(found)
    frames = pl.collect_all(plans) if plans else []
    return {scanner.name: frame for scanner, frame in zip(scanners, frames, strict=True)}
