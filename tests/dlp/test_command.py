"""`casb-pipeline dlp scan` and `dlp hash-edm` on real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from casb_pipeline.cli import main
from casb_pipeline.dlp import FINDING_SCHEMA

TEXTS = [
    "Please charge 4539 1488 0343 6467, exp 09/28",
    "aws_access_key_id = AKIAZ7QH3K5M2NV4XW6T",
    "nothing to see",
]


@pytest.fixture
def env(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("CASB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CASB_FINGERPRINT_KEY", "command-test-key")
    monkeypatch.delenv("CASB_DLP_PROFILES", raising=False)
    return tmp_path


def _table(path: Path, **columns: list) -> Path:
    pl.DataFrame(columns or {"id": [10, 11, 12], "text": TEXTS}).write_parquet(path)
    return path


def _error(capsys) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_scan_writes_findings_and_prints_a_summary(env, capsys) -> None:
    source, out = _table(env / "texts.parquet"), env / "out" / "findings.parquet"
    assert main(["dlp", "scan", str(source), "--out", str(out)]) == 0
    findings = pl.read_parquet(out)
    assert list(findings.schema.items())[: len(FINDING_SCHEMA)] == list(FINDING_SCHEMA.items())
    assert findings.select("source_id", "detector").rows() == [
        ("10", "credit_card_number"),
        ("11", "aws_access_key_id"),
    ]
    summary = capsys.readouterr().out
    assert "scanned 3 rows" in summary and "2 findings (0 critical, 2 high" in summary
    assert "4539" not in summary and "AKIAZ7" not in summary


def test_scan_uses_other_column_names_and_a_profiles_file(env, capsys) -> None:
    source = _table(env / "t.parquet", doc=["a", "b"], body=["SSN 536-22-1234", "x"])
    profiles = env / "p.yaml"
    profiles.write_text("profiles:\n  national_ids:\n    enabled: false\n", encoding="utf-8")
    out = env / "f.parquet"
    args = ["dlp", "scan", str(source), "--out", str(out), "--text-column", "body"]
    assert main([*args, "--id-column", "doc"]) == 0
    assert pl.read_parquet(out)["source_id"].to_list() == ["a"]
    assert main([*args, "--id-column", "doc", "--profiles", str(profiles)]) == 0
    assert pl.read_parquet(out).is_empty()


@pytest.mark.parametrize(
    ("make", "extra", "expected"),
    [
        (lambda p: p, [], "no such file"),
        (lambda p: (p.write_text("not parquet"), p)[1], [], "not a readable Parquet file"),
        (lambda p: _table(p), ["--text-column", "body"], "column 'body' not found"),
        (lambda p: _table(p), ["--id-column", "uuid"], "column 'uuid' not found"),
        (
            lambda p: _table(p, id=[1], text=[42]),
            [],
            "column 'text' is Int64, not text",
        ),
    ],
)
def test_bad_input_gives_one_clear_line_and_exit_2(env, capsys, make, extra, expected) -> None:
    source = make(env / "in.parquet")
    code = main(["dlp", "scan", str(source), "--out", str(env / "o.parquet"), *extra])
    assert code == 2
    line = _error(capsys)
    assert line.startswith("casb-pipeline: error: ") and expected in line
    assert not (env / "o.parquet").exists()


def test_malformed_profiles_file_is_reported_with_its_line(env, capsys) -> None:
    profiles = env / "p.yaml"
    profiles.write_text("profiles:\n  financial:\n    min_count: many\n", encoding="utf-8")
    source = _table(env / "t.parquet")
    args = ["dlp", "scan", str(source), "--out", str(env / "o.parquet")]
    assert main([*args, "--profiles", str(profiles)]) == 2
    assert f"{profiles}:3: profiles.financial.min_count" in _error(capsys)


def test_hash_edm_then_scan_with_it(env, capsys) -> None:
    csv = env / "people.csv"
    csv.write_text("ssn\n536-22-1234\n", encoding="utf-8")
    edm = env / "people.edm"
    assert main(["dlp", "hash-edm", str(csv), "--out", str(edm)]) == 0
    assert "hashed 1 distinct values of 1 kind(s) (ssn)" in capsys.readouterr().out
    profiles = env / "p.yaml"
    profiles.write_text(
        "profiles:\n  staff:\n    rules:\n      - name: ssns\n"
        f"        edm: {edm}\n        detectors: [us_ssn]\n",
        encoding="utf-8",
    )
    source = _table(env / "t.parquet", id=[1, 2], text=["SSN 536-22-1234", "SSN 536-22-4321"])
    out = env / "f.parquet"
    assert main(["dlp", "scan", str(source), "--out", str(out), "--profiles", str(profiles)]) == 0
    staff = pl.read_parquet(out).filter(pl.col("detector") == "custom:ssns")
    assert staff["source_id"].to_list() == ["1"]
    assert main(["dlp", "hash-edm", str(env / "missing.csv"), "--out", str(edm)]) == 2
    assert "missing.csv: no such file" in _error(capsys)


def test_console_entry_point_runs_end_to_end(tmp_path) -> None:
    source, out = _table(tmp_path / "texts.parquet"), tmp_path / "findings.parquet"
    environment = {**os.environ, "CASB_DATA_DIR": str(tmp_path / "data")}
    environment.pop("CASB_FINGERPRINT_KEY", None)
    completed = subprocess.run(
        [sys.executable, "-m", "casb_pipeline.cli", "dlp", "scan", str(source), "--out", str(out)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert pl.read_parquet(out).height == 2
    # Without CASB_FINGERPRINT_KEY a key is made once, owner-only, in the data dir.
    key_file = tmp_path / "data" / "fingerprint.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
