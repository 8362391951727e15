"""`casb-pipeline run` as a user runs it: no key, so the embedded simulator; every
value of its answer key is found where it was planted, no decoy is, and no planted
value appears in any output."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from casb_pipeline.config import DataPaths
from casb_pipeline.lake import Lake
from casb_pipeline.scoring.tables import SOURCE_TYPES
from casb_pipeline.simulator import AnswerKey, PlantedValue, answer_key

ANCHOR = date(2026, 11, 20)
SEED = 7
# Staging tables that copy user content by design; every other table must not hold it.
RAW_CONTENT_TABLES = {"stg_chat_messages", "stg_projects"}

Location = tuple[str, str, str | None]


@dataclass(frozen=True)
class Run:
    data_dir: Path
    stdout: str
    stderr: str

    @property
    def paths(self) -> DataPaths:
        return DataPaths(self.data_dir)


@pytest.mark.slow
def test_run_finds_the_answer_key_and_leaks_nothing(tmp_path: Path) -> None:
    """One command, checked three ways (one test, so parallel workers do not each run
    the command)."""
    key = answer_key(SEED, "small", ANCHOR)
    run = run_command(tmp_path / "data", key)
    check_findings(run, key)
    check_no_planted_value_in_any_output(run, key)
    check_the_run_reports_its_findings(run)


def run_command(data_dir: Path, key: AnswerKey) -> Run:
    """`casb-pipeline run` over the simulator's days (dated, so the run does not grow as
    the clock moves past the fixed anchor)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ANTHROPIC_COMPLIANCE_ACCESS_KEY", "CASB_API_BASE_URL", "DAGSTER_HOME")
        and not k.startswith(("CASB_", "DAGSTER_"))
    }
    env.update(
        {
            "CASB_DATA_DIR": str(data_dir),
            "CASB_SIM_ANCHOR": ANCHOR.isoformat(),
            "CASB_SIM_SEED": str(SEED),
            "CASB_FINGERPRINT_KEY": "e2e-fingerprint-key",
        }
    )
    command = Path(sys.executable).with_name("casb-pipeline")
    done = subprocess.run(
        [str(command), "run", "--start", str(key.first_day), "--end", str(key.last_day)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return Run(data_dir, done.stdout, done.stderr)


def scanned_texts(run: Run) -> dict[Location, str]:
    """What the findings' offsets point into: the warehouse's message text and
    project fields, and the lake's file texts."""
    texts: dict[Location, str] = {}
    with duckdb.connect(str(run.paths.warehouse), read_only=True) as con:
        for message_id, text in con.table("stg_chat_messages").select("id, text").fetchall():
            texts[("chat_message", message_id, None)] = text
        fields = con.table("stg_projects").select("id, name, description, instructions")
        for project_id, *values in fields.fetchall():
            for part, value in zip(("name", "description", "instructions"), values, strict=True):
                texts[("project", project_id, part)] = value or ""
    file_texts = pl.read_parquet(Lake(run.paths.lake).files("texts"))
    for row in file_texts.iter_rows(named=True):
        texts[(row["source_type"], row["source_id"], row["part"])] = row["text"]
    return texts


def located_findings(run: Run) -> pl.DataFrame:
    """The lake's findings with the text each one points at (``value``, test side only)."""
    texts = scanned_texts(run)
    findings = pl.read_parquet(Lake(run.paths.lake).files("findings"))
    values = [
        texts[(r["source_type"], r["source_id"], r["part"])][r["start"] : r["end"]]
        for r in findings.iter_rows(named=True)
    ]
    return findings.with_columns(pl.Series("value", values, dtype=pl.String))


def where(value: PlantedValue) -> tuple[str, str, str | None, str, str]:
    return (value.source_type, value.source_id, value.part, value.detector, value.value)


def check_findings(run: Run, key: AnswerKey) -> None:
    findings = located_findings(run)
    reported = set(
        findings.select("source_type", "source_id", "part", "detector", "value").iter_rows()
    )
    planted = {where(value) for value in key.planted}
    assert {value.source_type for value in key.planted} == set(SOURCE_TYPES)
    missed = planted - reported
    assert not missed, sorted((s, i, p, d) for s, i, p, d, _ in missed)

    decoys = {(d.source_type, d.source_id, d.part, d.value) for d in key.decoys}
    flagged = {(s, i, p, v) for s, i, p, _, v in reported} & decoys
    assert not flagged, sorted((s, i, p) for s, i, p, _ in flagged)

    unexplained = reported - planted
    recall = len(planted & reported) / len(planted)
    precision = len(planted & reported) / len(reported)
    print(f"answer key: recall {recall:.3f}, precision {precision:.3f}, {len(reported)} findings")
    assert not unexplained, sorted((s, i, p, d) for s, i, p, d, _ in unexplained)


def check_no_planted_value_in_any_output(run: Run, key: AnswerKey) -> None:
    values = sorted({v.value for v in (*key.planted, *key.decoys)}, key=len, reverse=True)
    lake = Lake(run.paths.lake)
    for path in [*lake.files("findings"), *lake.files("scans")]:
        assert_absent(values, path.read_bytes().decode("latin-1"), path)
        cells = (str(v) for row in pq.read_table(path).to_pylist() for v in row.values())
        assert_absent(values, "\n".join(cells), path)
    with duckdb.connect(str(run.paths.warehouse), read_only=True) as con:
        listed = con.sql("select table_name from information_schema.tables").fetchall()
        tables = [row[0] for row in listed]
        assert "findings" in tables
        for table in sorted(set(tables) - RAW_CONTENT_TABLES):
            rows = "\n".join(str(row) for row in con.table(table).fetchall())
            assert_absent(values, rows, table)
    for path in exported_files(run):
        assert_absent(values, path.read_bytes().decode("utf-8", "replace"), path)
    assert_absent(values, run.stdout, "stdout")
    assert_absent(values, run.stderr, "stderr")


def exported_files(run: Run) -> Iterator[Path]:
    if run.paths.exports.is_dir():
        yield from (p for p in run.paths.exports.rglob("*") if p.is_file())


def assert_absent(values: list[str], text: str, where: object) -> None:
    leaked = [value for value in values if value in text]
    assert not leaked, f"{len(leaked)} planted value(s) in {where}"


def check_the_run_reports_its_findings(run: Run) -> None:
    assert "using the embedded simulator" in run.stderr
    assert "Findings:" in run.stdout + run.stderr
    scans = pl.read_parquet(Lake(run.paths.lake).files("scans"))
    with duckdb.connect(str(run.paths.warehouse), read_only=True) as con:
        messages = {row[0] for row in con.table("stg_chat_messages").select("id").fetchall()}
    scanned = set(scans.filter(pl.col("source_type") == "chat_message")["source_id"])
    assert messages <= scanned  # every message recorded as scanned, clean ones included
