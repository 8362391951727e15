"""Quarantine and tombstone rows: what could not be processed, and what is gone.

Both datasets are shared by several writers, one file per (writer, day), so a
re-run of one asset replaces only its own rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

import pyarrow as pa

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")

QUARANTINE_SCHEMA = pa.schema(
    [
        ("object_id", pa.string()),
        ("stream", pa.string()),
        ("reason", pa.string()),
        ("request_id", pa.string()),
        ("at", UTC_TIMESTAMP),
    ]
)

TOMBSTONE_SCHEMA = pa.schema(
    [
        ("object_type", pa.string()),
        ("object_id", pa.string()),
        ("deleted_at", UTC_TIMESTAMP),
        ("cause", pa.string()),
        ("evidence", pa.string()),
    ]
)


@dataclass(frozen=True)
class Quarantined:
    """An object that could not be processed. ``reason`` never quotes content."""

    object_id: str
    stream: str
    reason: str
    request_id: str | None
    at: datetime


@dataclass(frozen=True)
class Tombstone:
    """An object known to be deleted.

    ``cause``: ``activity`` (a deletion event in the feed), ``not_found`` (404 on
    re-fetch) or ``user_deleted`` (listed with ``deleted_at``). ``evidence`` is
    the activity id or request id.
    """

    object_type: str
    object_id: str
    deleted_at: datetime
    cause: str
    evidence: str | None


def quarantine_table(rows: list[Quarantined]) -> pa.Table:
    return pa.Table.from_pylist([asdict(r) for r in rows], schema=QUARANTINE_SCHEMA)


def tombstone_table(rows: list[Tombstone]) -> pa.Table:
    return pa.Table.from_pylist([asdict(r) for r in rows], schema=TOMBSTONE_SCHEMA)
