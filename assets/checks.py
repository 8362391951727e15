"""Asset checks: the data contract of each lake stream.

Blocking: the primary key is unique within each partition written, and the
files carry exactly the stream's schema. WARN: nothing was quarantined.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import dagster as dg
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from casb_pipeline.lake import QUARANTINE, Lake

PRIMARY_KEY = "primary_key_unique"
SCHEMA = "schema_as_expected"
QUARANTINED = "nothing_quarantined"


def stream_check_specs(asset: str) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            PRIMARY_KEY,
            asset=asset,
            blocking=True,
            description="The stream's key is unique within each partition.",
        ),
        dg.AssetCheckSpec(
            SCHEMA,
            asset=asset,
            blocking=True,
            description="Every file written has exactly the stream's schema.",
        ),
        dg.AssetCheckSpec(
            QUARANTINED, asset=asset, description="No object of this run was quarantined (WARN)."
        ),
    ]


def quarantine_check(asset: str, lake: Lake, days: Sequence[date]) -> dg.AssetCheckResult:
    rows = [
        frame.collect() for day in days if (frame := _writer_file(lake, day, asset)) is not None
    ]
    quarantined = pl.concat(rows) if rows else pl.DataFrame()
    reasons = (
        quarantined.group_by("reason").len().sort("len", descending=True).head(10).rows()
        if not quarantined.is_empty()
        else []
    )
    return dg.AssetCheckResult(
        check_name=QUARANTINED,
        asset_key=asset,
        passed=quarantined.is_empty(),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "quarantined": len(quarantined),
            "top_reasons": dg.MetadataValue.md(
                "\n".join(f"- {count} × {reason}" for reason, count in reasons) or "none"
            ),
        },
    )


def _writer_file(lake: Lake, day: date, writer: str) -> pl.LazyFrame | None:
    path = lake.root / QUARANTINE / f"date={day.isoformat()}" / f"{writer}.parquet"
    return pl.scan_parquet(path) if path.exists() else None


def table_checks(
    asset: str, files: Sequence[Path], key: Sequence[str], expected: pa.Schema
) -> list[dg.AssetCheckResult]:
    """Key uniqueness (per file: one file is one partition's share) and exact schema."""
    duplicates, mismatched = 0, []
    for path in files:
        if not pq.read_schema(path).equals(expected, check_metadata=False):
            mismatched.append(f"{path.parent.name}/{path.name}")
        frame = pl.read_parquet(path, columns=list(key))
        duplicates += frame.height - frame.unique().height
    return [
        dg.AssetCheckResult(
            check_name=PRIMARY_KEY,
            asset_key=asset,
            passed=duplicates == 0,
            metadata={"duplicate_keys": duplicates, "key": ", ".join(key), "files": len(files)},
        ),
        dg.AssetCheckResult(
            check_name=SCHEMA,
            asset_key=asset,
            passed=not mismatched,
            metadata={"mismatched_files": ", ".join(mismatched) or "none"},
        ),
    ]
