"""What a detector is: expressions over the columns of a candidate frame.

A candidate frame (see :mod:`casb_pipeline.dlp.locate`) has ``value``,
``before`` and ``after``; the engine adds ``digits`` (the value's digits) to
the passes whose detectors read it. A detector is a set of Polars expressions
over those columns, built by a plain function, so the engine evaluates each
detector over all candidates of its pass at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from casb_pipeline.dlp.levels import HIGH, LOW

VALUE = pl.col("value")
BEFORE = pl.col("before")
AFTER = pl.col("after")
DIGITS = pl.col("digits")
# The surroundings context words are looked for in, lower-cased.
CONTEXT = pl.concat_str([BEFORE, AFTER], separator=" ").str.to_lowercase()

FALSE = pl.lit(False)

# Words that introduce a value as not real.
DUMMY_WORDS = r"\b(?:dummy|fake|sample|placeholder|fictitious|fictional|made[- ]up)\b"


@dataclass(frozen=True)
class Detector:
    """One kind of sensitive value fed by one candidate pass.

    ``accept`` says whether a candidate is this kind at all (shape and
    validation); ``confidence`` is its level (1 low .. 3 high, 0 to drop) with
    no context word near, ``with_context`` the level when one is (``context``
    is a regex over the lower-cased surroundings). ``placeholder`` marks
    documented example and template values, reported at low confidence at most.
    ``prefilter``, when given, is a cheap condition (lengths, leading letters)
    applied on its own first, so the costlier checks see fewer candidates;
    ``at_most``, when given, is a cheap upper bound of the level, used to drop
    candidates that can never reach the confidence a policy asks for (private
    IP addresses in logs are many and always low).
    Several detectors may share an id when one kind has two passes (IPv4 and
    IPv6 addresses, URL and key=value connection strings).
    """

    id: str
    scanner: str
    accept: pl.Expr
    confidence: pl.Expr
    severity: int
    masked: pl.Expr
    normalised: pl.Expr = VALUE
    placeholder: pl.Expr = FALSE
    context: str = ""
    with_context: pl.Expr | None = None
    prefilter: pl.Expr | None = None
    at_most: pl.Expr | None = None

    def reads(self, column: str) -> bool:
        """Whether any expression of the detector reads ``column``."""
        expressions = (
            self.accept,
            self.confidence,
            self.masked,
            self.normalised,
            self.placeholder,
            self.with_context,
            self.prefilter,
            self.at_most,
        )
        return any(
            column in expression.meta.root_names()
            for expression in expressions
            if expression is not None
        )

    def level(self, context_hit: pl.Expr, confidence: pl.Expr) -> pl.Expr:
        """Confidence level of each accepted candidate, given ``confidence``
        (this detector's ``confidence``, computed once by the caller);
        placeholders, and values introduced as dummies ("the fake SSN ..."),
        low at most."""
        raised = self.with_context if self.with_context is not None else confidence + 1
        level = pl.when(context_hit).then(pl.max_horizontal(confidence, raised))
        same_line = BEFORE.str.tail(32).str.extract(r"([^\n]*)$", 1).str.to_lowercase()
        dummy = self.placeholder | same_line.str.contains(DUMMY_WORDS)
        highest = pl.when(dummy).then(pl.lit(LOW)).otherwise(pl.lit(HIGH))
        return level.otherwise(confidence).clip(0, highest)


def level(value: int) -> pl.Expr:
    """A constant confidence level."""
    return pl.lit(value, dtype=pl.Int32)


def choose(condition: pl.Expr, if_true: int, if_false: int) -> pl.Expr:
    """``if_true`` where ``condition`` holds, else ``if_false`` (levels)."""
    return pl.when(condition).then(level(if_true)).otherwise(level(if_false))


def shape(pattern: str) -> pl.Expr:
    """The whole value matches ``pattern`` (anchored here)."""
    return VALUE.str.contains(f"^(?:{pattern})$")


def digit_count() -> pl.Expr:
    return DIGITS.str.len_chars()


def glued() -> pl.Expr:
    """The candidate is part of a longer token (a path, a decimal, a version,
    a UUID): joined to letters or digits by ``-``, ``_``, ``.`` or ``/``."""
    return (
        BEFORE.str.contains(r"[A-Za-z0-9_][\-_./]$")
        | AFTER.str.contains(r"^(?:[\-_/][A-Za-z0-9]|\.[0-9])")
        | (VALUE.str.contains(r"^[+(]") & BEFORE.str.contains(r"[A-Za-z0-9_)]$"))
    )


def token_ends() -> pl.Expr:
    """Nothing token-like follows the value (fixed-length tokens)."""
    return ~AFTER.str.contains(r"^[A-Za-z0-9_\-]")


def digits_only_shape(count: int | tuple[int, int]) -> pl.Expr:
    """Cheap prefilter: ``count`` digits (or a range) and no letters or dots."""
    low, high = (count, count) if isinstance(count, int) else count
    return digit_count().is_between(low, high) & ~VALUE.str.contains("[A-Za-z.]")


def is_formatted() -> pl.Expr:
    """Digits grouped with separators, as people write them."""
    return VALUE.str.contains(r"[ .\-()]")
