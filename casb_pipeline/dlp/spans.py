"""Span arithmetic over matches sorted by text: no window functions.

``over("row")`` runs an expression once per text; with tens of thousands of
texts that costs far more than the arithmetic itself. Matches sorted by
``row`` can instead share one running aggregate when the text number is
packed into the value, so texts never mix.
"""

from __future__ import annotations

import polars as pl

# Character offsets stay below 2**32 (a text of 4 G characters), so
# row * 2**32 + offset orders first by text, then by offset.
_TEXT_SPAN = 2**32


def previous_reach(row: str = "row", end: str = "end") -> pl.Expr:
    """The largest ``end`` among the earlier matches of the same text (null
    for a text's first match), for a frame sorted by ``row``: equal to
    ``pl.col(end).cum_max().shift(1).over(row)``."""
    base = pl.col(row).cast(pl.Int64) * _TEXT_SPAN
    reach = (base + pl.col(end)).cum_max().shift(1)
    return pl.when(reach >= base).then(reach - base)
