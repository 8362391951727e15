"""Masked renderings: the kind and a few characters, never the whole value."""

from __future__ import annotations

import polars as pl

ELLIPSIS = "…"


def last(text: pl.Expr, count: int, label: str) -> pl.Expr:
    """``label`` then the last ``count`` characters, e.g. ``visa ****1111``."""
    return pl.concat_str(pl.lit(label), text.str.tail(count))


def prefix_and_length(text: pl.Expr, prefix: pl.Expr) -> pl.Expr:
    """A token's non-secret prefix and its length, e.g. ``ghp_…(40 chars)``."""
    return pl.concat_str(
        prefix, pl.lit(f"{ELLIPSIS}("), text.str.len_chars().cast(pl.String), pl.lit(" chars)")
    )


def length_only(text: pl.Expr, label: str) -> pl.Expr:
    """Only the kind and the length, e.g. ``password ******(12 chars)``."""
    stars = f"{label} ******(" if label else "******("
    return pl.concat_str(pl.lit(stars), text.str.len_chars().cast(pl.String), pl.lit(" chars)"))


def ends(text: pl.Expr) -> pl.Expr:
    """First and last two characters of long values, only the length of short
    ones: for values of unknown structure (custom rules)."""
    long_form = pl.concat_str(
        text.str.head(2),
        pl.lit(ELLIPSIS),
        text.str.tail(2),
        pl.lit(" ("),
        text.str.len_chars().cast(pl.String),
        pl.lit(" chars)"),
    )
    return pl.when(text.str.len_chars() >= 12).then(long_form).otherwise(length_only(text, ""))


def guarded(masked: pl.Expr, value: pl.Expr, detector: pl.Expr) -> pl.Expr:
    """Last line of defence: a rendering that still contains the whole value
    (of four characters or more) becomes ``[detector]``."""
    leaks = (value.str.len_chars() >= 4) & masked.str.contains(value, literal=True)
    fallback = pl.concat_str(pl.lit("["), detector, pl.lit("]"))
    return pl.when(leaks | masked.is_null()).then(fallback).otherwise(masked)
