"""Shared helpers for the DLP tests: a fixed key and scans of plain strings."""

from __future__ import annotations

import polars as pl
import pytest

from casb_pipeline.dlp import Policy, scan

KEY = b"tests-only-fingerprint-key-0123456789"


def scan_texts(texts: list[str], policy: Policy | None = None, **options: object) -> pl.DataFrame:
    """Scan ``texts`` (ids are their positions) and add the matched text."""
    frame = pl.DataFrame({"id": list(range(len(texts))), "text": texts})
    findings = scan(frame, key=KEY, policy=policy, **options)
    return with_matched(findings, texts)


def with_matched(findings: pl.DataFrame, texts: list[str]) -> pl.DataFrame:
    """Findings plus ``matched``: the text their offsets point at (test only)."""
    matched = [
        texts[int(source_id)][start:end]
        for source_id, start, end in findings.select("source_id", "start", "end").iter_rows()
    ]
    return findings.with_columns(matched=pl.Series(matched, dtype=pl.String))


def reported(findings: pl.DataFrame, detector: str) -> list[str]:
    return findings.filter(pl.col("detector") == detector).get_column("matched").to_list()


@pytest.fixture
def key() -> bytes:
    return KEY
