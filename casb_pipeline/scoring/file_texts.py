"""The text step: the objects of the run's days, extracted once per blob, into the
``texts`` and ``text_coverage`` datasets and, for what could not be read, the
quarantine.

Days are handled in groups whose objects add up to at most ``batch_bytes`` (a
day is never split): one worker pool per group, and only one group's texts in
memory. Each day's files are complete on their own: an object whose blob the
lake already has an outcome for gets that outcome's rows copied in.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from casb_pipeline.lake import QUARANTINE, BlobStore, Lake, Quarantined, quarantine_table
from casb_pipeline.scoring.objects import OBJECT_COLUMNS, day_objects
from casb_pipeline.scoring.outcomes import Outcome, known_outcomes
from casb_pipeline.scoring.tables import (
    TEXT_COVERAGE,
    TEXT_COVERAGE_SCHEMA,
    TEXTS,
    TEXTS_SCHEMA,
)
from casb_pipeline.textract import NOT_SCANNED, QUARANTINED, ExtractJob, ExtractLimits, extract_many

MB = 1_000_000
_SOURCE = ("source_type", "source_id", "chat_id", "project_id")


@dataclass(frozen=True)
class TextRun:
    """Where the step reads and writes, and how hard it may work."""

    lake: Lake
    blobs: BlobStore
    now: datetime
    writer: str
    limits: ExtractLimits
    workers: int
    batch_bytes: int


@dataclass
class TextStats:
    """What a run did; ``seconds`` is the time spent extracting, ``bytes_read`` the
    size of the blobs extracted (copied outcomes read nothing)."""

    objects: int = 0
    blobs_extracted: int = 0
    objects_reused: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    text_rows: int = 0
    by_format: Counter[str] = field(default_factory=Counter)
    bytes_by_format: Counter[str] = field(default_factory=Counter)
    not_scanned: Counter[str] = field(default_factory=Counter)
    quarantined: Counter[str] = field(default_factory=Counter)

    def metadata(self) -> dict[str, Any]:
        return {
            "objects": self.objects,
            "blobs_extracted": self.blobs_extracted,
            "objects_reused": self.objects_reused,
            "text_rows": self.text_rows,
            "mb_read": round(self.bytes_read / MB, 3),
            "mb_per_s": round(self.bytes_read / MB / self.seconds, 2) if self.seconds else 0.0,
            "objects_by_format": dict(self.by_format.most_common()),
            "mb_read_by_format": {
                kind: round(size / MB, 3) for kind, size in self.bytes_by_format.most_common()
            },
            "not_scanned_by_reason": dict(self.not_scanned.most_common()),
            "quarantined": sum(self.quarantined.values()),
            "quarantined_by_reason": dict(self.quarantined.most_common()),
        }


def extract_texts(run: TextRun, days: Sequence[date]) -> TextStats:
    """Write ``texts``, ``text_coverage`` and the quarantine of every day in ``days``."""
    stats = TextStats()
    planned = [(day, day_objects(run.lake, day)) for day in days]
    for group in _groups(planned, run.batch_bytes):
        objects = pl.concat([frame for _, frame in group])
        outcomes, reused = _outcomes(run, objects, stats)
        for day, frame in group:
            _write_day(run, day, frame, outcomes, reused, stats)
    return stats


def _groups(
    planned: list[tuple[date, pl.DataFrame]], budget: int
) -> Iterator[list[tuple[date, pl.DataFrame]]]:
    group: list[tuple[date, pl.DataFrame]] = []
    size = 0
    for day, frame in planned:
        day_bytes = int(frame["size_bytes"].fill_null(0).sum())
        if group and size + day_bytes > budget:
            yield group
            group, size = [], 0
        group.append((day, frame))
        size += day_bytes
    if group:
        yield group


def _outcomes(
    run: TextRun, objects: pl.DataFrame, stats: TextStats
) -> tuple[dict[str, Outcome], set[str]]:
    """An outcome for every blob of ``objects``, and which of them were copied."""
    if objects.is_empty():
        return {}, set()
    blobs = objects.unique(subset=["sha256"], keep="first", maintain_order=True)
    outcomes = known_outcomes(run.lake, blobs["sha256"].to_list())
    reused = set(outcomes)
    jobs = []
    sizes: dict[str, int] = {}
    for row in blobs.select(list(OBJECT_COLUMNS)).iter_rows(named=True):
        sha = row["sha256"]
        if sha in outcomes:
            continue
        blob = _blob(run.blobs, sha)
        if blob is None:
            outcomes[sha] = Outcome.blob_missing(run.now)
            continue
        path, sizes[sha] = blob
        jobs.append(ExtractJob(sha, path, row["filename"], row["content_type"]))
    if jobs:
        started = time.perf_counter()
        for job, extraction in extract_many(jobs, limits=run.limits, workers=run.workers):
            outcomes[job.key] = Outcome.of(extraction, run.now)
            size = sizes[job.key]
            stats.blobs_extracted += 1
            stats.bytes_read += size
            stats.bytes_by_format[extraction.detected_format] += size
        stats.seconds += time.perf_counter() - started
    return outcomes, reused


def _blob(blobs: BlobStore, sha256: str | None) -> tuple[Path, int] | None:
    """The blob's path and size; None when the store does not hold it."""
    if sha256 is None:
        return None
    try:
        path = blobs.path(sha256)
        return path, path.stat().st_size
    except (ValueError, OSError):  # not a digest, or not in the store
        return None


def _write_day(
    run: TextRun,
    day: date,
    objects: pl.DataFrame,
    outcomes: dict[str, Outcome],
    reused: set[str],
    stats: TextStats,
) -> None:
    texts: list[dict[str, Any]] = []
    coverage: list[dict[str, Any]] = []
    quarantined: list[Quarantined] = []
    for obj in objects.iter_rows(named=True):
        outcome = outcomes[obj["sha256"]]
        source = {name: obj[name] for name in _SOURCE}
        texts.extend(
            {
                **source,
                "part": part,
                "text": text,
                "sha256": obj["sha256"],
                "detected_format": outcome.detected_format,
                "extracted_at": outcome.extracted_at,
            }
            for part, text in outcome.parts
        )
        coverage.append(_coverage_row(source, obj, outcome))
        if outcome.status == QUARANTINED:
            reason = outcome.reason or "quarantined"
            quarantined.append(Quarantined(obj["source_id"], TEXTS, reason, None, run.now))
            stats.quarantined[reason] += 1
        elif outcome.status == NOT_SCANNED:
            stats.not_scanned[outcome.reason or "not scanned"] += 1
        stats.objects += 1
        stats.objects_reused += obj["sha256"] in reused
        stats.by_format[outcome.detected_format] += 1
    stats.text_rows += len(texts)
    # Texts first: a coverage row is what later runs trust to copy texts from.
    run.lake.write_partition(
        TEXTS, day, pa.Table.from_pylist(texts, schema=TEXTS_SCHEMA), writer=run.writer
    )
    run.lake.write_partition(
        TEXT_COVERAGE,
        day,
        pa.Table.from_pylist(coverage, schema=TEXT_COVERAGE_SCHEMA),
        writer=run.writer,
    )
    run.lake.write_partition(QUARANTINE, day, quarantine_table(quarantined), writer=run.writer)


def _coverage_row(source: dict[str, Any], obj: dict[str, Any], outcome: Outcome) -> dict[str, Any]:
    return {
        **source,
        "sha256": obj["sha256"],
        "filename": obj["filename"],
        "declared_mime": obj["content_type"],
        "detected_format": outcome.detected_format,
        "status": outcome.status,
        "reason": outcome.reason,
        "size_bytes": obj["size_bytes"],
        "chars": outcome.chars,
        "truncated": outcome.truncated,
        "extracted_at": outcome.extracted_at,
        "notes": outcome.notes,
    }
