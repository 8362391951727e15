"""Running reach over matches sorted by text, without window functions."""

from __future__ import annotations

import random

import polars as pl

from casb_pipeline.dlp.spans import previous_reach


def test_previous_reach_equals_the_running_max_within_each_text() -> None:
    rng = random.Random(4)
    rows = []
    for row in range(400):
        starts = sorted(rng.sample(range(5000), rng.randint(1, 12)))
        rows += [(row, start, start + rng.randint(1, 900)) for start in starts]
    frame = pl.DataFrame(
        rows, schema={"row": pl.UInt32, "start": pl.Int64, "end": pl.Int64}, orient="row"
    )
    result = frame.select(
        windowed=pl.col("end").cum_max().shift(1).over("row"), packed=previous_reach()
    )
    assert result["packed"].to_list() == result["windowed"].to_list()
    assert result["packed"].null_count() == 400
