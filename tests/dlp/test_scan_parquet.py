"""Batched Parquet scans give the in-memory result, whatever the batch size."""

from __future__ import annotations

import polars as pl
from conftest import KEY

from casb_pipeline.dlp import scan, scan_parquet
from casb_pipeline.dlp.synthetic import labelled_corpus


def test_small_batches_find_exactly_what_one_batch_finds(tmp_path) -> None:
    texts, _ = labelled_corpus(600, seed=11)
    texts = texts.with_columns(chat_id=pl.col("id").str.replace("t", "chat-"))
    source = tmp_path / "texts.parquet"
    texts.write_parquet(source, row_group_size=100)
    out = tmp_path / "findings.parquet"
    summary = scan_parquet(source, out, key=KEY, keep_columns=["chat_id"], batch_bytes=8_000)
    batched = pl.read_parquet(out)
    whole = scan(texts, key=KEY, keep_columns=["chat_id"])
    assert batched.sort("source_id", "start", "detector").equals(
        whole.sort("source_id", "start", "detector")
    )
    assert summary.rows == 600
    assert summary.findings == whole.height
    assert summary.text_bytes == texts["text"].str.len_bytes().sum()
    assert sum(summary.by_severity.values()) == whole.height


def test_empty_table_gives_an_empty_findings_file_with_the_schema(tmp_path) -> None:
    source, out = tmp_path / "empty.parquet", tmp_path / "out.parquet"
    pl.DataFrame(schema={"id": pl.Int64, "text": pl.String}).write_parquet(source)
    summary = scan_parquet(source, out, key=KEY)
    result = pl.read_parquet(out)
    assert result.is_empty() and summary.rows == 0
    assert "fingerprint" in result.columns
