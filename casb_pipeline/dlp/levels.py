"""Confidence and severity scales: names outside, small integers inside."""

from __future__ import annotations

import polars as pl

CONFIDENCES = ("low", "medium", "high")
SEVERITIES = ("low", "medium", "high", "critical")

LOW, MEDIUM, HIGH, CRITICAL = 1, 2, 3, 4


def confidence_level(name: str) -> int:
    """``"medium"`` -> 2; raises ``ValueError`` for an unknown name."""
    return CONFIDENCES.index(name) + 1


def severity_level(name: str) -> int:
    """``"critical"`` -> 4; raises ``ValueError`` for an unknown name."""
    return SEVERITIES.index(name) + 1


def confidence_names(levels: pl.Expr) -> pl.Expr:
    """Integer confidence levels (1..3) as their names."""
    return levels.replace_strict(
        list(range(1, len(CONFIDENCES) + 1)), list(CONFIDENCES), return_dtype=pl.String
    )


def severity_names(levels: pl.Expr) -> pl.Expr:
    """Integer severity levels (1..4) as their names."""
    return levels.replace_strict(
        list(range(1, len(SEVERITIES) + 1)), list(SEVERITIES), return_dtype=pl.String
    )
