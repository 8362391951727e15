"""Precision and recall on a labelled corpus the detectors were not tuned on."""

from __future__ import annotations

import polars as pl
from conftest import KEY

from casb_pipeline.dlp import scan
from casb_pipeline.dlp.evaluation import score
from casb_pipeline.dlp.synthetic import PLANTS, labelled_corpus


def test_precision_and_recall_on_a_fresh_labelled_corpus() -> None:
    texts, labels = labelled_corpus(1500, seed=2024)
    table = score(scan(texts, key=KEY), labels)
    overall = table.filter(pl.col("detector") == "all").row(0, named=True)
    assert overall["labels"] > 3000
    assert overall["precision"] >= 0.99, table
    assert overall["recall"] >= 0.99, table
    per_detector = table.filter(pl.col("detector") != "all")
    assert set(per_detector["detector"]) == set(PLANTS)
    assert per_detector["recall"].min() >= 0.9, per_detector


def test_score_counts_exact_spans_only() -> None:
    labels = pl.DataFrame(
        {"source_id": ["a", "a"], "detector": ["us_ssn", "iban"], "start": [0, 20], "end": [11, 42]}
    )
    findings = pl.DataFrame(
        {
            "source_id": ["a", "a", "a"],
            "detector": ["us_ssn", "iban", "pii_record"],
            "start": [0, 21, 0],
            "end": [11, 42, 42],
        }
    )
    overall = score(findings, labels).filter(pl.col("detector") == "all").row(0, named=True)
    assert (overall["true_positives"], overall["precision"], overall["recall"]) == (1, 0.5, 0.5)
