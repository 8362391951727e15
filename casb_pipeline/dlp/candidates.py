"""Run the candidate passes (built-in and custom) over a batch of texts."""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from casb_pipeline.dlp.detectors.base import AFTER, BEFORE, VALUE
from casb_pipeline.dlp.locate import MARK, locate
from casb_pipeline.dlp.normalise import digits_of
from casb_pipeline.dlp.scanners import Scanner
from casb_pipeline.dlp.spans import previous_reach


def find_candidates(
    texts: pl.DataFrame,
    scanners: list[Scanner],
    window: int,
    digits_for: Collection[str] = (),
) -> dict[str, pl.DataFrame]:
    """Candidates of each pass, keyed by scanner name; the passes named in
    ``digits_for`` also get ``digits`` (the value's digits).

    A pass split into ``parts`` runs each part and merges their matches (see
    :func:`_merged`).
    """
    scrub = bool(texts.get_column("text").str.contains(MARK, literal=True).any())
    plans = []
    for scanner in scanners:
        if scanner.parts:
            found = _merged(texts, scanner, window, scrub)
        else:
            found = _matches(texts, scanner, window, scrub)
        if scanner.drop is not None:
            found = found.filter(~scanner.drop)
        if scanner.name in digits_for:
            found = found.with_columns(digits=digits_of(VALUE))
        plans.append(found)
    frames = pl.collect_all(plans) if plans else []
    return {scanner.name: frame for scanner, frame in zip(scanners, frames, strict=True)}


def _matches(texts: pl.DataFrame, scanner: Scanner, window: int, scrub: bool) -> pl.LazyFrame:
    """Every match of one pass. Its row filter runs eagerly on its own
    first: inside one lazy query Polars would merge it with the pass's
    pattern into one predicate and run the costly pattern on every row."""
    rows = texts
    if scanner.row_filter is not None:
        rows = texts.filter(pl.col("text").str.contains(scanner.row_filter))
    return locate(
        rows.lazy(), scanner.pattern, window=window, scrub=scrub, skip_rows=not scanner.dense
    )


def _merged(texts: pl.DataFrame, scanner: Scanner, window: int, scrub: bool) -> pl.LazyFrame:
    """The matches of a pass split into parts, exactly as its whole pattern
    would find them.

    The whole pattern finds, at each step, the leftmost match of any of its
    alternatives. When matches of different parts never start at the same
    place and, in a text, none overlaps another, that text's matches are
    the union of the parts' matches; only the surroundings differ, since a
    value's ``before`` and ``after`` stop at the neighbouring matches of the
    same pass (two back and one ahead), which may now belong to another part.
    Texts where matches of different parts overlap are searched again with
    the whole pattern.
    """
    # Read twice below: computed once.
    found = (
        pl.concat([_matches(texts, part, window, scrub) for part in scanner.parts])
        .sort("row", "start")
        .cache()
    )
    overlapping = found.filter(pl.col("start") < previous_reach()).select("row").unique()
    row = pl.col("row")
    two_back = pl.when(row == row.shift(2)).then(pl.col("end").shift(2)).otherwise(0)
    next_start = pl.when(row == row.shift(-1)).then(pl.col("start").shift(-1))
    apart = found.with_columns(
        before=BEFORE.str.tail(pl.col("start") - two_back),
        after=pl.coalesce(AFTER.str.head(next_start - pl.col("end")), AFTER),
    ).join(overlapping, on="row", how="anti")
    # Every row searched again has a match; a first search for rows without
    # one would also be pushed below the join and run on every row.
    again = locate(
        texts.lazy().join(overlapping, on="row", how="semi"),
        scanner.pattern,
        window=window,
        scrub=scrub,
        skip_rows=False,
    )
    return pl.concat([apart, again]).sort("row", "start")
