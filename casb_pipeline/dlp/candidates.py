"""Run the candidate passes (built-in and custom) over a batch of texts."""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.detectors.base import AFTER, BEFORE, VALUE
from casb_pipeline.dlp.locate import MARK, locate
from casb_pipeline.dlp.normalise import digits_of
from casb_pipeline.dlp.scanners import Scanner


def find_candidates(
    texts: pl.DataFrame, scanners: list[Scanner], window: int
) -> dict[str, pl.DataFrame]:
    """Candidates of each pass, keyed by scanner name, with the derived
    columns detectors read: ``digits`` and lower-cased ``context``."""
    scrub = bool(texts.get_column("text").str.contains(MARK, literal=True).any())
    plans = [
        locate(
            texts.lazy(),
            scanner.pattern,
            window=window,
            row_filter=scanner.row_filter,
            scrub=scrub,
        ).with_columns(
            digits=digits_of(VALUE),
            context=pl.concat_str([BEFORE, AFTER], separator=" ").str.to_lowercase(),
        )
        for scanner in scanners
    ]
    frames = pl.collect_all(plans) if plans else []
    return {
        scanner.name: frame if scanner.drop is None else frame.filter(~scanner.drop)
        for scanner, frame in zip(scanners, frames, strict=True)
    }
