"""One blob's extraction outcome, fresh from textract or copied from the lake.

Outcomes are keyed by the blob's SHA-256: objects sharing bytes share an outcome,
and a blob the lake already has an outcome for is not extracted again. Copied
outcomes keep their original ``extracted_at``, which also ties a coverage row to
the text rows written with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from casb_pipeline.lake import Lake
from casb_pipeline.scoring.tables import TEXT_COVERAGE, TEXTS
from casb_pipeline.textract import QUARANTINED, Extraction, TextPart

# The reason of an object whose bytes are not in the blob store; never copied, so
# the object is tried again once its blob is there.
BLOB_MISSING = "content missing from the blob store (not downloaded, or removed)"


@dataclass(frozen=True, repr=False)
class Outcome:
    """Status, format and located texts of one blob (``parts``: ``(part, text)`` pairs)."""

    status: str
    detected_format: str
    reason: str | None
    truncated: bool
    notes: str | None
    extracted_at: datetime
    parts: tuple[tuple[str | None, str], ...]

    def __repr__(self) -> str:
        return (
            f"Outcome(status={self.status!r}, detected_format={self.detected_format!r}, "
            f"reason={self.reason!r}, parts={len(self.parts)}, chars={self.chars})"
        )

    @property
    def chars(self) -> int:
        return sum(len(text) for _, text in self.parts)

    @classmethod
    def of(cls, extraction: Extraction, at: datetime) -> Outcome:
        return cls(
            status=extraction.status,
            detected_format=extraction.detected_format,
            reason=extraction.reason,
            truncated=extraction.truncated,
            notes="; ".join(extraction.notes) or None,
            extracted_at=at,
            parts=_merged(extraction.parts),
        )

    @classmethod
    def blob_missing(cls, at: datetime) -> Outcome:
        return cls(QUARANTINED, "unknown", BLOB_MISSING, False, None, at, ())


def _merged(parts: Sequence[TextPart]) -> tuple[tuple[str | None, str], ...]:
    """One text per label, in first-seen order: an archive may hold two members of the
    same name, and a location must stay a key of the texts dataset."""
    texts: dict[str | None, list[str]] = {}
    for part in parts:
        texts.setdefault(part.part, []).append(part.text)
    return tuple((label, "\n".join(pieces)) for label, pieces in texts.items())


def known_outcomes(lake: Lake, shas: Sequence[str]) -> dict[str, Outcome]:
    """Outcomes the lake already holds for ``shas``: the latest coverage row of each
    blob, with the text rows of the same extraction (one source's rows, in order)."""
    coverage = lake.scan(TEXT_COVERAGE)
    if coverage is None or not shas:
        return {}
    latest = (
        coverage.filter(pl.col("sha256").is_in(list(shas)))
        .filter(pl.col("reason").is_null() | (pl.col("reason") != BLOB_MISSING))
        .sort("extracted_at", descending=True)
        .unique(subset=["sha256"], keep="first", maintain_order=True)
        .collect()
    )
    texts = _texts_of(lake, latest)
    outcomes = {}
    for row in latest.iter_rows(named=True):
        outcomes[row["sha256"]] = Outcome(
            status=row["status"],
            detected_format=row["detected_format"],
            reason=row["reason"],
            truncated=bool(row["truncated"]),
            notes=row.get("notes"),
            extracted_at=row["extracted_at"],
            parts=texts.get(row["sha256"], ()),
        )
    return outcomes


def _texts_of(lake: Lake, latest: pl.DataFrame) -> dict[str, tuple[tuple[str | None, str], ...]]:
    """The text rows of each coverage row's extraction, in order, as written for one
    source in one file (the same source may be in several days' files)."""
    files = lake.files(TEXTS)
    if not files or latest.is_empty():
        return {}
    scan = pl.scan_parquet(
        files, include_file_paths="_file", missing_columns="insert", extra_columns="ignore"
    )
    wanted = latest.select("sha256", "extracted_at")
    rows = (
        # The filter comes first so that only matching rows' texts are read.
        scan.filter(pl.col("sha256").is_in(wanted["sha256"].implode()))
        .join(wanted.lazy(), on=["sha256", "extracted_at"], how="semi", maintain_order="left")
        .with_columns(
            pl.concat_str("_file", "source_type", "source_id", separator="\x00").alias("_copy")
        )
        .filter(pl.col("_copy") == pl.col("_copy").first().over("sha256"))
        .select("sha256", "part", "text")
        .collect()
    )
    found: dict[str, list[tuple[str | None, str]]] = {}
    for sha, part, text in rows.iter_rows():
        found.setdefault(sha, []).append((part, text))
    return {sha: tuple(parts) for sha, parts in found.items()}
