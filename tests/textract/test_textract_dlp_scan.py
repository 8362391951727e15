"""Extracted texts go through the real ``casb-pipeline dlp scan`` and every planted
value is found in the part it was planted in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "casb_pipeline.dlp.command",
    reason="casb_pipeline.dlp (the `dlp scan` command) is not in this checkout yet",
)

import polars as pl
from textract_samples import (
    docx_file,
    pdf_file,
    pptx_file,
    xlsx_file,
    zip_file,
)

from casb_pipeline.textract import ExtractJob, extract_many


def luhn_complete(prefix: str) -> str:
    """``prefix`` plus the check digit that makes it pass the Luhn test."""
    total = 0
    for index, char in enumerate(reversed(prefix)):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return prefix + str((10 - total % 10) % 10)


CARD = luhn_complete("453914880343646")
AWS_KEY = "AKIAZ7QH3K5M2NV4XW6T"


def test_dlp_scan_finds_planted_values_in_their_parts(tmp_path: Path) -> None:
    docx_data, docx_expected = docx_file()
    xlsx_data, xlsx_expected = xlsx_file()
    pptx_data, pptx_expected = pptx_file()
    pdf_data, pdf_expected = pdf_file(pages=3)
    keys = f"deploy notes\naws_access_key_id = {AWS_KEY}\ncard on file: {CARD}\n".encode()
    archive = zip_file({"nested/keys.txt": keys, "report.pdf": pdf_data})
    files = {
        "claude_file_docx": (docx_data, docx_expected),
        "claude_file_xlsx": (xlsx_data, xlsx_expected),
        "claude_file_pptx": (pptx_data, pptx_expected),
        "claude_file_pdf": (pdf_data, pdf_expected),
        "claude_file_zip": (
            archive,
            {
                **{f"member:report.pdf!{k}": v for k, v in pdf_expected.items()},
                "member:nested/keys.txt": [AWS_KEY, CARD],
            },
        ),
    }
    jobs = []
    for file_id, (data, _) in files.items():
        path = tmp_path / file_id
        path.write_bytes(data)
        jobs.append(ExtractJob(file_id, path))
    rows = []
    for job, extraction in extract_many(jobs, workers=2):
        assert extraction.status == "scanned", (job.key, extraction.reason)
        for part in extraction.parts:
            rows.append(
                {
                    "id": f"{job.key}#{part.part}",
                    "source_type": "chat_file",
                    "source_id": job.key,
                    "part": part.part,
                    "text": part.text,
                }
            )
    texts = pl.DataFrame(rows)
    texts_path = tmp_path / "texts.parquet"
    texts.write_parquet(texts_path)
    findings_path = tmp_path / "findings.parquet"
    env = {**os.environ, "CASB_DATA_DIR": str(tmp_path / "data"), "CASB_FINGERPRINT_KEY": "k" * 64}
    command = ["dlp", "scan", str(texts_path), "--out", str(findings_path)]
    completed = subprocess.run(
        [sys.executable, "-m", "casb_pipeline.cli", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    findings = pl.read_parquet(findings_path)
    found = _found_values(texts, findings)
    detectors = {CARD: "credit_card_number", AWS_KEY: "aws_access_key_id"}
    for file_id, (_, expected) in files.items():
        for label, values in expected.items():
            # The workbook's bare 16-digit test number has no context word: whether that
            # is reported is the DLP policy's business, not extraction's.
            for value in (v for v in values if v in detectors or "@" in v):
                detector = detectors.get(value, "email_address")
                assert (f"{file_id}#{label}", detector, value) in found, (
                    f"{detector} {value} not found in {file_id} part {label}"
                )


def _found_values(texts: pl.DataFrame, findings: pl.DataFrame) -> set[tuple[str, str, str]]:
    """(row id, detector, matched text) per finding, digits of card numbers only."""
    text_by_id = dict(zip(texts["id"], texts["text"], strict=True))
    found = set()
    for row in findings.select("source_id", "detector", "start", "end").iter_rows():
        source_id, detector, start, end = row
        matched = text_by_id[source_id][start:end]
        if detector == "credit_card_number":
            matched = "".join(char for char in matched if char.isdigit())
        found.add((source_id, detector, matched))
    return found
