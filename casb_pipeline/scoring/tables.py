"""Lake datasets of text extraction and scoring (ARCHITECTURE.md, "Lake").

``texts``: text extracted from files, generated files, artifacts and project
attachments, one row per (source, part). ``text_coverage``: one row per
object the text step looked at, scanned or not, with the reason. ``scans``:
one row per source scanned by the DLP step, so a source scanned clean is
known (its earlier findings resolve as ``value_removed``). ``findings``: one
row per match, never the matched value: only its masked rendering and keyed
fingerprint.

``source_updated_at`` in ``scans`` and ``findings`` is the version of the content
scanned: a message's ``chat_updated_at``, a project's ``updated_at``; null for
objects that never change under their id (files, generated files, artifact
versions, project attachments) and in files written before the column existed.
The marts order a source's scans by it, so re-running an older partition (which
scans an older copy) does not make that copy the latest.
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from casb_pipeline.lake.side_tables import UTC_TIMESTAMP

TEXTS = "texts"
TEXT_COVERAGE = "text_coverage"
SCANS = "scans"
FINDINGS = "findings"

# source_type values (ARCHITECTURE.md, "Warehouse").
SOURCE_TYPES = (
    "chat_message",
    "chat_file",
    "generated_file",
    "artifact",
    "project",
    "project_attachment",
)

_SOURCE = [
    ("source_type", pa.string()),
    ("source_id", pa.string()),
    ("chat_id", pa.string()),
    ("project_id", pa.string()),
]

TEXTS_SCHEMA = pa.schema(
    [
        *_SOURCE,
        ("part", pa.string()),
        ("text", pa.large_string()),
        ("sha256", pa.string()),
        ("detected_format", pa.string()),
        ("extracted_at", UTC_TIMESTAMP),
    ]
)

TEXT_COVERAGE_SCHEMA = pa.schema(
    [
        *_SOURCE,
        ("sha256", pa.string()),
        ("filename", pa.string()),
        ("declared_mime", pa.string()),
        ("detected_format", pa.string()),
        ("status", pa.string()),  # scanned | not_scanned | quarantined
        ("reason", pa.string()),
        ("size_bytes", pa.int64()),
        ("chars", pa.int64()),
        ("truncated", pa.bool_()),
        ("extracted_at", UTC_TIMESTAMP),
        ("notes", pa.string()),  # what was skipped or repaired (members not scanned...)
    ]
)

SCANS_SCHEMA = pa.schema(
    [
        *_SOURCE,
        ("chars", pa.int64()),
        ("scanned_at", UTC_TIMESTAMP),
        ("source_updated_at", UTC_TIMESTAMP),
    ]
)

FINDINGS_SCHEMA = pa.schema(
    [
        *_SOURCE,
        ("part", pa.string()),
        ("detector", pa.string()),
        ("profile", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("confidence", pa.string()),
        ("severity", pa.string()),
        ("masked", pa.string()),
        ("fingerprint", pa.string()),
        ("allowlisted", pa.bool_()),
        ("allowlist_reason", pa.string()),
        ("first_seen_at", UTC_TIMESTAMP),
        ("scanned_at", UTC_TIMESTAMP),
        ("match_count", pa.int64()),  # matches of this detector in the same text
        ("context_hit", pa.bool_()),  # a context word of the detector was near
        ("source_updated_at", UTC_TIMESTAMP),
    ]
)


def frame_schema(schema: pa.Schema) -> pl.Schema:
    """The Polars schema of a lake dataset."""
    return pl.from_arrow(schema.empty_table()).schema  # type: ignore[union-attr]


def to_lake(frame: pl.DataFrame, schema: pa.Schema) -> pa.Table:
    """``frame`` as a table of exactly ``schema`` (column order and Arrow types)."""
    return frame.select(schema.names).to_arrow().cast(schema)
