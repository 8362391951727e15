"""Every regex match of a text column, with character offsets and context.

Polars returns matches without positions (``extract_all``) or byte offsets of
the first match only (``find``). Here one ``replace_all`` wraps each match in
a sentinel character on both sides; a literal split on the sentinel then
yields, per row, gap, value, gap, value, ..., gap. Character lengths of those
pieces, summed along the row, give each value's start as a character offset
into the original Python string. No Python code runs per row or per match.

By default the whole match is the value. A pattern may instead name the value
``v`` and wrap text around it in groups named ``pre`` and ``post`` (for example
``password =`` before a password): that text is matched but stays in the
gaps, so it ends up in the context rather than in the value. Group names must
be unique, so a second alternative names them ``p2``, ``w`` and ``s2``.
"""

from __future__ import annotations

import polars as pl

MARK = "\x00"
# A sentinel already present in a text is swapped for U+FFFD, one character
# for one, so offsets are unchanged.
REPLACEMENT = "\ufffd"
_AROUND_GROUPS = "${pre}${p2}" + MARK + "${v}${w}" + MARK + "${post}${s2}"
_AROUND_MATCH = MARK + "${0}" + MARK


def locate(
    texts: pl.LazyFrame,
    pattern: str,
    *,
    window: int,
    scrub: bool = True,
    skip_rows: bool = True,
) -> pl.LazyFrame:
    """Matches of ``pattern`` in ``texts`` (columns ``row``, ``text``).

    Returns columns ``row``, ``start``, ``end`` (character offsets, end
    exclusive), ``value``, ``before`` and ``after``: up to ``window``
    characters around the value (``before`` reaches back over
    the previous match of the same pattern, so a header such as "SSN:" still
    counts for the second value of a list). ``scrub=False`` skips replacing
    sentinel characters, for texts known to have none. ``skip_rows`` first
    keeps the rows with a match (a search that stops at a row's first match);
    ``skip_rows=False`` extracts from every row at once, cheaper when most
    rows have a match, since each of those is otherwise searched twice.
    """
    template = _AROUND_GROUPS if "(?P<v>" in pattern else _AROUND_MATCH
    text = (
        pl.col("text").str.replace_all(MARK, REPLACEMENT, literal=True) if scrub else pl.col("text")
    )
    if skip_rows:
        texts = texts.filter(pl.col("text").str.contains(pattern))
    piece = pl.col("piece")
    k = pl.col("k")
    length = pl.col("length")
    offset = pl.col("offset")

    def tail(column: str) -> pl.Expr:
        return pl.col(column).str.tail(window)

    return (
        texts.select("row", piece=text.str.replace_all(pattern, template).str.split(MARK))
        .filter(piece.list.len() > 1)
        # Piece k of a row: gaps at even k, values at odd k; k is the piece's
        # position in the exploded column minus that of the row's first piece.
        .with_columns(first=piece.list.len().cum_sum() - piece.list.len())
        .explode("piece")
        .with_columns(
            k=pl.int_range(pl.len(), dtype=pl.Int64) - pl.col("first"),
            length=piece.str.len_chars().cast(pl.Int64),
        )
        .with_columns(offset=length.cum_sum() - length)
        # Neighbouring pieces are shifted alongside before the gaps are
        # dropped; only values then get their surroundings cut to size.
        .with_columns(
            start=offset - pl.when(k == 0).then(offset).forward_fill(),
            gap_before=piece.shift(1),
            value_before=pl.when(k >= 2).then(piece.shift(2)),
            gap_before_that=pl.when(k >= 3).then(piece.shift(3)),
            gap_after=piece.shift(-1),
        )
        .filter(k % 2 == 1)
        .select(
            "row",
            "start",
            end=pl.col("start") + length,
            value="piece",
            before=pl.concat_str(
                [tail("gap_before_that"), tail("value_before"), tail("gap_before")],
                ignore_nulls=True,
            ).str.tail(window),
            after=pl.col("gap_after").str.head(window),
        )
    )
