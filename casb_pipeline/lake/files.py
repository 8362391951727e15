"""Atomic, owner-only files: how the lake, the blob store and the exports write.

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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from casb_pipeline.config import ensure_private_dir

TEMP_PREFIX = ".tmp-"


def temp_path_for(final: Path) -> Path:
    """A unique hidden name beside ``final`` (same filesystem, so replace is atomic)."""
    return final.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}-{final.name}.partial")


@contextmanager
def atomic_write(final: Path, *, text: bool = False) -> Iterator[IO[Any]]:
    """A handle whose content replaces ``final`` whole when the block ends without error.

    Mode 0600 under a 0700 folder; ``text`` opens it for UTF-8 text. On an
    error (or a kill) ``final`` keeps its previous content.
    """
    ensure_private_dir(final.parent)
    temp = temp_path_for(final)
    options: dict[str, Any] = {"encoding": "utf-8", "newline": ""} if text else {}
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w" if text else "wb", **options) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)


def write_parquet_atomic(table: pa.Table, final: Path) -> Path:
    """Write ``table`` to ``final`` atomically (see :func:`atomic_write`)."""
    with atomic_write(final) as handle:
        pq.write_table(table, handle, compression="zstd")
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
