"""Entropy: the bounded comparison agrees with the full count everywhere."""

from __future__ import annotations

import math
import random
import string

import polars as pl
import pytest

from casb_pipeline.dlp.heuristics import entropy_below, shannon_entropy


def _strings() -> list[str | None]:
    rng = random.Random(5)
    alphabets = [string.ascii_letters + string.digits, "ab", "abc", "0123456789", "éü✓😀ab"]
    values: list[str | None] = [None, "", "a", "aaaa", "abcd", "aabb", "aaab", "ab" * 8]
    for _ in range(3000):
        alphabet = rng.choice(alphabets)
        values.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))))
    return values


@pytest.mark.parametrize("threshold", [0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, math.log2(3), 5.5])
def test_entropy_below_agrees_with_the_full_count(threshold: float) -> None:
    frame = pl.DataFrame({"text": _strings()})
    text = pl.col("text")
    result = frame.select(
        counted=shannon_entropy(text) < threshold, bounded=entropy_below(text, threshold)
    )
    assert result["bounded"].null_count() == 0
    assert result["bounded"].to_list() == result["counted"].to_list()


def test_entropy_at_exact_thresholds() -> None:
    frame = pl.DataFrame({"text": ["abcd", "aabb", "abcdefgh", "aaaaaaab", "", None]})
    below_two = frame.select(entropy_below(pl.col("text"), 2.0)).to_series().to_list()
    # "abcd" has exactly 2 bits per character, not below 2; "aabb" has 1.
    assert below_two == [False, True, False, True, True, True]
