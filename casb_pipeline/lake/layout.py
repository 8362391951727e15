"""Where each dataset lives in the lake (ARCHITECTURE.md, "Lake").

``lake/<dataset>/date=YYYY-MM-DD/<writer>.parquet`` for daily partitions: one
file per writer, so an asset that contributes to a shared dataset (quarantine,
tombstones) replaces only its own file. ``lake/<dataset>/snapshot=<time>/`` for
point-in-time lists.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

DATA_FILE = "data"
QUARANTINE = "_quarantine"
TOMBSTONES = "tombstones"

SNAPSHOT_FORMAT = "%Y%m%dT%H%M%S%fZ"


def partition_dir(lake: Path, dataset: str, day: date) -> Path:
    return lake / dataset / f"date={day.isoformat()}"


def partition_file(lake: Path, dataset: str, day: date, writer: str = DATA_FILE) -> Path:
    return partition_dir(lake, dataset, day) / f"{writer}.parquet"


def snapshot_dir(lake: Path, dataset: str, taken_at: datetime) -> Path:
    return lake / dataset / f"snapshot={taken_at.strftime(SNAPSHOT_FORMAT)}"


def dataset_files(lake: Path, dataset: str) -> list[Path]:
    """Every complete Parquet file of ``dataset``: all partitions, or the latest snapshot."""
    root = lake / dataset
    if not root.is_dir():
        return []
    snapshots = sorted(p for p in root.glob("snapshot=*") if any(p.glob("*.parquet")))
    if snapshots:
        return sorted(snapshots[-1].glob("*.parquet"))
    return sorted(root.glob("date=*/*.parquet"))
