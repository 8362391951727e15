"""Atomic, owner-only Parquet files: the lake's only way to write.

A file is written beside its final name under a hidden temporary name (which
no reader's ``*.parquet`` glob matches), flushed, then moved into place with
one ``os.replace``: a reader sees the old file or the new one, never half of
one, also after a SIGKILL. Folders are never renamed, so the same protocol
maps onto object storage (one PUT per file).
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from casb_pipeline.config import ensure_private_dir

TEMP_PREFIX = ".tmp-"


def temp_path_for(final: Path) -> Path:
    """A unique hidden name beside ``final`` (same filesystem, so replace is atomic)."""
    return final.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}-{final.name}.partial")


def write_parquet_atomic(table: pa.Table, final: Path) -> Path:
    """Write ``table`` to ``final`` atomically, mode 0600 under a 0700 folder."""
    ensure_private_dir(final.parent)
    temp = temp_path_for(final)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            pq.write_table(table, handle, compression="zstd")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    return final


def remove_stale_temps(folder: Path, older_than: timedelta) -> int:
    """Delete temporaries a killed writer left behind; returns how many.

    Only files older than ``older_than`` go, so a writer still at work in
    another run keeps its temporary file.
    """
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    stale = [
        p for p in folder.rglob(f"{TEMP_PREFIX}*") if p.is_file() and p.stat().st_mtime < cutoff
    ]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)
