"""Lake datasets the extraction writes besides the API's own streams.

``contents``: where each downloaded object's bytes are in the blob store (one
row per object and fetch). ``project_listings``: when a project's attachments
or collaborators were listed, so an empty listing still replaces the last one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

import pyarrow as pa

from casb_pipeline.lake.side_tables import UTC_TIMESTAMP

CONTENTS = "contents"
PROJECT_LISTINGS = "project_listings"

CONTENTS_SCHEMA = pa.schema(
    [
        ("object_type", pa.string()),
        ("object_id", pa.string()),
        ("sha256", pa.string()),
        ("size_bytes", pa.int64()),
        ("content_type", pa.string()),
        ("filename", pa.string()),
        ("fetched_at", UTC_TIMESTAMP),
        ("request_id", pa.string()),
    ]
)

PROJECT_LISTINGS_SCHEMA = pa.schema(
    [("project_id", pa.string()), ("kind", pa.string()), ("listed_at", UTC_TIMESTAMP)]
)


@dataclass(frozen=True)
class ContentRow:
    """``object_type``: chat_file, generated_file, artifact, project_file or project_doc."""

    object_type: str
    object_id: str
    sha256: str
    size_bytes: int
    content_type: str | None
    filename: str | None
    fetched_at: datetime
    request_id: str | None


@dataclass(frozen=True)
class ListingRow:
    project_id: str
    kind: str  # "attachments" | "collaborators"
    listed_at: datetime


def contents_table(rows: list[ContentRow]) -> pa.Table:
    return pa.Table.from_pylist([asdict(r) for r in rows], schema=CONTENTS_SCHEMA)


def listings_table(rows: list[ListingRow]) -> pa.Table:
    return pa.Table.from_pylist([asdict(r) for r in rows], schema=PROJECT_LISTINGS_SCHEMA)
