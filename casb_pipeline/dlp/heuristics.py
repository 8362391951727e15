"""Value heuristics shared by detectors: entropy, dummy digits, placeholders."""

from __future__ import annotations

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
