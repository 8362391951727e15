"""Value heuristics shared by detectors: entropy, dummy digits, placeholders."""

from __future__ import annotations

from functools import partial

import polars as pl

_ASCENDING = "0123456789" * 3
_DESCENDING = "9876543210" * 3

# Words that mark documentation and template values rather than real ones.
PLACEHOLDER_WORDS = (
    "example",
    "sample",
    "dummy",
    "placeholder",
    "your",
    "redacted",
    "changeme",
    "change_me",
    "fake",
    "xxxx",
)
# Template markers: a value containing one is a slot, not a value.
TEMPLATE_MARKERS = ("****", "....", "<", "${", "{{", "%(")


def shannon_entropy(text: pl.Expr) -> pl.Expr:
    """Shannon entropy of each string in bits per character."""
    share = pl.element().unique_counts() / pl.len()
    return text.str.split("").list.eval(-(share * share.log(2)).sum()).list.first().fill_null(0.0)


# Strings whose bounds lie this close to a threshold get the exact entropy,
# so rounding in the bounds never decides a comparison.
_BOUND_MARGIN = 1e-9


def entropy_below(text: pl.Expr, threshold: float) -> pl.Expr:
    """Whether :func:`shannon_entropy` of each string is below ``threshold``.

    Counting each string's characters is the costly part, and most strings
    are decided by bounds from their length n and number d of distinct
    characters: the entropy is at most log2(d) (all d equally frequent) and
    at least that of one character taking all n - d + 1 repeats. Only the
    strings whose bounds straddle the threshold are counted.
    """
    return text.map_batches(
        partial(_entropy_below, threshold=threshold), return_dtype=pl.Boolean, is_elementwise=True
    )


def _entropy_below(texts: pl.Series, threshold: float) -> pl.Series:
    # Eager steps, each computed once (an expression would repeat the
    # distinct count in every place it is used).
    text, n, d = pl.col("text"), pl.col("n"), pl.col("d")
    repeated = (n - d + 1) / n
    lowest = -repeated * repeated.log(2) + (d - 1) / n * n.log(2)
    decided = (
        pl.DataFrame({"text": texts})
        .with_columns(n=text.str.len_chars().cast(pl.Float64))
        .with_columns(d=text.str.split("").list.n_unique().cast(pl.Float64))
        .with_columns(
            below=pl.when(text.is_null() | (n == 0))
            # Empty and null strings count as entropy 0.
            .then(pl.lit(threshold > 0.0))
            .when(d.log(2) < threshold - _BOUND_MARGIN)
            .then(pl.lit(True))
            .when(lowest >= threshold + _BOUND_MARGIN)
            .then(pl.lit(False))
        )
    )
    below = decided.get_column("below")
    undecided = below.is_null().arg_true()
    if undecided.len():
        exact = decided.select(shannon_entropy(text.gather(undecided)) < threshold).to_series()
        below = below.scatter(undecided, exact)
    return below.alias(texts.name)


def dummy_digits(digits: pl.Expr) -> pl.Expr:
    """One digit repeated, or a run of consecutive digits (123456789...)."""
    return (
        (digits.str.split("").list.n_unique() == 1)
        | pl.lit(_ASCENDING).str.contains(digits, literal=True)
        | pl.lit(_DESCENDING).str.contains(digits, literal=True)
    )


def has_placeholder_word(text: pl.Expr) -> pl.Expr:
    """Contains a placeholder word anywhere: for short values people type
    (passwords), where "changeme" or "example" is a tell."""
    return text.str.to_lowercase().str.contains_any(list(PLACEHOLDER_WORDS))


def has_placeholder_segment(text: pl.Expr) -> pl.Expr:
    """A placeholder word standing as its own segment (``sk-your-key-here``),
    a template marker, or a run of x, * or 0: for long random tokens, where a
    word such as "fake" turns up inside random characters by chance."""
    words = "|".join(word for word in PLACEHOLDER_WORDS if word.isalpha())
    return (
        text.str.contains(f"(?i)(?:^|[_.\\-])(?:{words})(?:[_.\\-]|$)")
        | text.str.contains_any(list(TEMPLATE_MARKERS))
        | text.str.contains("(?i)xxxx|\\*\\*\\*\\*|0000000")
    )


def character_classes(text: pl.Expr) -> pl.Expr:
    """How many of lower case, upper case, digits and other characters occur."""
    return pl.sum_horizontal(
        text.str.contains("[a-z]").cast(pl.Int32),
        text.str.contains("[A-Z]").cast(pl.Int32),
        text.str.contains("[0-9]").cast(pl.Int32),
        text.str.contains("[^A-Za-z0-9]").cast(pl.Int32),
    )
