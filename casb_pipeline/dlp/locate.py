"""Every regex match of a text column, with character offsets and context.

Polars returns matches without positions (``extract_all``) or byte offsets of
the first match only (``find``). Here one ``replace_all`` wraps each match's
``v`` group in two sentinel characters; a literal split on the opening
sentinel then yields, per row, the leading gap followed by one piece per match
("value CLOSE gap"). Character lengths of those pieces, summed per row, give
each match's start as a character offset into the original Python string. No
Python code runs per row or per match.

A pattern may wrap text around the value in groups named ``pre`` and ``post``
(for example ``password =`` before a password): they are matched, kept in the
surrounding gaps, and so end up in the context rather than in the value.
Group names must be unique, so a second alternative names them ``p2``, ``w``
and ``s2``.
"""

from __future__ import annotations

import polars as pl

OPEN = "\x00"
CLOSE = "\x01"
# Sentinels already present in a text are swapped for U+FFFD, one character for
# one, so offsets are unchanged.
_SCRUB = {OPEN: "\ufffd", CLOSE: "\ufffd"}
_MARK = "${pre}${p2}" + OPEN + "${v}${w}" + CLOSE + "${post}${s2}"

CANDIDATE_SCHEMA = {
    "row": pl.UInt32,
    "start": pl.Int64,
    "end": pl.Int64,
    "value": pl.String,
    "before": pl.String,
    "after": pl.String,
}


def locate(
    texts: pl.LazyFrame,
    pattern: str,
    *,
    window: int,
    row_filter: str | None = None,
) -> pl.LazyFrame:
    """Matches of ``pattern`` in ``texts`` (columns ``row``, ``text``).

    ``pattern`` must define a group named ``v``: its text is the match value,
    its span the reported offsets. Returns ``CANDIDATE_SCHEMA`` columns, where
    ``before``/``after`` hold up to ``window`` characters around the value
    (``before`` reaches back over the previous match of the same pattern, so a
    header such as "SSN:" still counts for the second value of a list).
    ``row_filter``, when given, is a cheaper regex a row must contain first.
    """
    piece = pl.col("piece")
    parts = piece.str.split_exact(CLOSE, 1)
    k = pl.col("k")
    value = pl.col("value")
    gap = pl.col("gap")
    index = pl.int_range(pl.len(), dtype=pl.UInt32)
    first_of_row = (pl.col("row") != pl.col("row").shift(1)).fill_null(True)
    offset = pl.col("offset")

    if row_filter is not None:
        texts = texts.filter(pl.col("text").str.contains(row_filter))
    hits = texts.filter(pl.col("text").str.contains(pattern))
    return (
        hits.select(
            "row",
            piece=pl.col("text")
            .str.replace_many(_SCRUB)
            .str.replace_all(pattern, _MARK)
            .str.split(OPEN),
        )
        .explode("piece")
        # Pieces of one row are contiguous: k is the piece's rank in its row.
        .with_columns(k=index - pl.when(first_of_row).then(index).forward_fill())
        .with_columns(
            value=pl.when(k > 0).then(parts.struct.field("field_0")),
            gap=pl.when(k > 0).then(parts.struct.field("field_1")).otherwise(piece),
        )
        .with_columns(length=value.str.len_chars().fill_null(0).cast(pl.Int64))
        .with_columns(span=pl.col("length") + gap.str.len_chars().cast(pl.Int64))
        .with_columns(offset=pl.col("span").cum_sum() - pl.col("span"))
        .with_columns(
            start=offset - pl.when(k == 0).then(offset).forward_fill(),
            before=pl.concat_str(
                [
                    pl.when(k >= 2).then(gap.shift(2).str.tail(window)),
                    value.shift(1).str.tail(window),
                    gap.shift(1).str.tail(window),
                ],
                ignore_nulls=True,
            ).str.tail(window),
        )
        .filter(k > 0)
        .select(
            "row",
            "start",
            end=pl.col("start") + pl.col("length"),
            value=value,
            before="before",
            after=gap.str.head(window),
        )
    )
