"""No matched value leaves the engine: not in any output column, not in logs,
not in errors. Fingerprints are keyed HMACs of normalised values."""

from __future__ import annotations

import hashlib
import hmac
import logging

import polars as pl
import pytest
from conftest import KEY, scan_texts

from casb_pipeline.dlp import scan, scan_parquet
from casb_pipeline.dlp.synthetic import labelled_corpus


@pytest.fixture(scope="module")
def planted() -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    texts, labels = labelled_corpus(400, seed=3, plant_rate=0.6)
    by_id = dict(zip(texts["id"], texts["text"], strict=True))
    values = [
        by_id[source_id][start:end]
        for source_id, start, end in labels.select("source_id", "start", "end").iter_rows()
    ]
    return texts, labels, values


def _secret_parts(value: str) -> set[str]:
    """The value and the parts a leak could show: its digits, its unquoted
    forms, each line of a multi-line value (the PEM armour lines excepted:
    the masked form names the key type on purpose)."""
    parts = {value, "".join(c for c in value if c.isdigit()), value.replace(" ", "")}
    parts.update(
        line for line in value.splitlines() if len(line) >= 12 and not line.startswith("-----")
    )
    return {part for part in parts if len(part) >= 8}


def test_no_planted_value_appears_in_any_output_column(planted, caplog) -> None:
    texts, labels, values = planted
    with caplog.at_level(logging.DEBUG):
        findings = scan(texts, key=KEY, keep_columns=["id"])
    assert findings.height >= labels.height  # every label found, plus PII records
    cells = [str(cell) for column in findings.columns for cell in findings[column].to_list()]
    blob = "\n".join(cells) + "\n" + caplog.text
    leaks = [value for value in values for part in _secret_parts(value) if part in blob]
    assert not leaks, leaks[:5]


def test_parquet_output_file_holds_no_planted_value(planted, tmp_path) -> None:
    texts, _, values = planted
    source, out = tmp_path / "texts.parquet", tmp_path / "findings.parquet"
    texts.write_parquet(source)
    scan_parquet(source, out, key=KEY, batch_bytes=20_000)
    raw = out.read_bytes()
    leaks = [v for v in values for part in _secret_parts(v) if part.encode() in raw]
    assert not leaks, leaks[:5]


def test_masked_renderings_keep_the_kind_and_a_few_characters() -> None:
    findings = scan_texts(
        [
            "card 4539 1488 0343 6467, SSN 536-22-1234",
            "key AKIAZ7QH3K5M2NV4XW6T and DATABASE_URL=postgresql://svc:Xq9!fL2m@db.corp:5432/app",
        ]
    )
    masked = dict(zip(findings["detector"], findings["masked"], strict=True))
    assert masked["credit_card_number"] == "visa ****6467"
    assert masked["us_ssn"] == "***-**-1234"
    assert masked["aws_access_key_id"] == "AKIA…XW6T"
    assert masked["database_connection_string"] == "postgresql://***:***@db.corp:5432"


def test_fingerprint_is_the_keyed_hmac_of_the_normalised_value() -> None:
    findings = scan_texts(["SSN 536-22-1234", "SSN: 536 22 1234", "ssn 536221234"])
    expected = hmac.new(KEY, b"536221234", hashlib.sha256).hexdigest()
    assert findings["fingerprint"].to_list() == [expected] * 3
    other_key = scan(pl.DataFrame({"id": [0], "text": ["SSN 536-22-1234"]}), key=b"another")
    assert other_key["fingerprint"].item() != expected


def test_errors_name_columns_not_values() -> None:
    frame = pl.DataFrame({"id": [1], "body": ["SSN 536-22-1234"]})
    with pytest.raises(Exception) as raised:
        scan(frame, key=KEY)
    assert "536" not in str(raised.value)
    assert "'text' not found" in str(raised.value)
