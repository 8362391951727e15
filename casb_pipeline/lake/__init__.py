"""The Parquet lake: atomic partition writes, blob store, side tables, reading back."""

from casb_pipeline.lake.blobs import BlobStore
from casb_pipeline.lake.layout import QUARANTINE, TOMBSTONES
from casb_pipeline.lake.side_tables import (
    Quarantined,
    Tombstone,
    quarantine_table,
    tombstone_table,
)
from casb_pipeline.lake.store import Lake

__all__ = [
    "QUARANTINE",
    "TOMBSTONES",
    "BlobStore",
    "Lake",
    "Quarantined",
    "Tombstone",
    "quarantine_table",
    "tombstone_table",
]
