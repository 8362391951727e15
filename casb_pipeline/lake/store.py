"""The lake: partitioned and snapshot Parquet datasets under one root."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pyarrow as pa

from casb_pipeline.lake import layout
from casb_pipeline.lake.files import write_parquet_atomic


class Lake:
    """Reads and writes datasets under ``root`` (``$CASB_DATA_DIR/lake``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __repr__(self) -> str:
        return f"Lake({str(self.root)!r})"

    def write_partition(
        self, dataset: str, day: date, table: pa.Table, writer: str = layout.DATA_FILE
    ) -> Path | None:
        """Replace ``writer``'s file of one daily partition, atomically.

        An empty table replaces an existing file (so a re-run that finds
        nothing clears what an earlier run wrote) but creates none: an absent
        file reads as an empty partition, and a first backfill over hundreds
        of quiet days writes only the days that hold rows.
        """
        final = layout.partition_file(self.root, dataset, day, writer)
        if table.num_rows == 0 and not final.exists():
            return None
        return write_parquet_atomic(table, final)

    def write_snapshot(self, dataset: str, taken_at: datetime, table: pa.Table) -> Path:
        folder = layout.snapshot_dir(self.root, dataset, taken_at)
        return write_parquet_atomic(table, folder / f"{layout.DATA_FILE}.parquet")

    def files(self, dataset: str) -> list[Path]:
        return layout.dataset_files(self.root, dataset)

    def partition_files(self, dataset: str, day: date) -> list[Path]:
        return sorted(layout.partition_dir(self.root, dataset, day).glob("*.parquet"))

    def scan(self, dataset: str) -> pl.LazyFrame | None:
        """All complete files of ``dataset`` as one frame; ``None`` when there are none.

        Files written by older versions may lack newer columns: those read as nulls.
        """
        return _scan(self.files(dataset))

    def scan_partition(self, dataset: str, day: date) -> pl.LazyFrame | None:
        return _scan(self.partition_files(dataset, day))


def _scan(files: list[Path]) -> pl.LazyFrame | None:
    if not files:
        return None
    return pl.scan_parquet(files, missing_columns="insert", extra_columns="ignore")
