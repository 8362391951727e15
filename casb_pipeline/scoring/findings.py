"""The DLP step: each day's messages, projects and file texts through the DLP
engine, into the ``findings`` and ``scans`` datasets.

A day's files are replaced whole, so re-running a partition replaces its
findings. ``first_seen_at`` carries over from the lake's findings of the same
(source_type, source_id, detector, fingerprint), else it is the scan time.
Every source scanned gets a ``scans`` row, findings or not, so a value that
has gone from a source can be told from a source that was not looked at. Both
datasets carry the version of the content scanned (``source_updated_at``), so
the marts can tell a re-scan of an older copy from a newer version.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from casb_pipeline.dlp import Policy, load_policy, scan
from casb_pipeline.dlp.policy_file import profiles_path_from_env
from casb_pipeline.lake import Lake
from casb_pipeline.scoring.scan_inputs import BatchLimits, day_batches
from casb_pipeline.scoring.tables import (
    FINDINGS,
    FINDINGS_SCHEMA,
    SCANS,
    SCANS_SCHEMA,
    frame_schema,
    to_lake,
)

MB = 1_000_000
FINDING_KEY = ("source_type", "source_id", "detector", "fingerprint")
KEEP_COLUMNS = ("source_type", "chat_id", "project_id", "part", "source_updated_at")
SOURCE = ("source_type", "source_id")
PREVIEW_COLUMNS = ("source_type", "source_id", "part", "detector", "severity", "masked")
DAY = "_day"  # the partition of each scanned row, carried through the DLP engine
# A source's columns that are the same on each of its rows (one version per day).
_FIRST_OF_SOURCE = tuple(
    pl.col(name).first() for name in ("chat_id", "project_id", "source_updated_at")
)


@dataclass(frozen=True)
class ScoreRun:
    """Where the step reads and writes, with what policy and key."""

    lake: Lake
    now: datetime
    writer: str
    key: bytes = field(repr=False)
    policy: Policy
    limits: BatchLimits


@dataclass
class ScoreStats:
    """What a run scanned and found; ``seconds`` is the time inside the DLP engine."""

    sources: int = 0
    chars: int = 0
    bytes_scanned: int = 0
    seconds: float = 0.0
    batches: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_detector: Counter[str] = field(default_factory=Counter)
    by_source_type: Counter[str] = field(default_factory=Counter)
    preview: list[dict[str, Any]] = field(default_factory=list)

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def metadata(self) -> dict[str, Any]:
        mb = self.bytes_scanned / MB
        return {
            "sources_scanned": self.sources,
            "findings": self.findings,
            "chars_scanned": self.chars,
            "mb_scanned": round(mb, 3),
            "mb_per_s": round(mb / self.seconds, 2) if self.seconds else 0.0,
            "batches": self.batches,
            "findings_by_severity": dict(self.by_severity.most_common()),
            "findings_by_detector": dict(self.by_detector.most_common()),
            "findings_by_source_type": dict(self.by_source_type.most_common()),
        }


def score_days(run: ScoreRun, days: Sequence[date], preview_rows: int = 10) -> ScoreStats:
    """Write ``findings`` and ``scans`` for every day in ``days`` (empty days too).

    Batches are filled across days (each DLP call has a fixed cost, and an
    incremental run's days are small); a day is written once all of its texts
    have been scanned.
    """
    stats = ScoreStats()
    batcher = _Batcher(run, stats)
    ready: list[date] = []
    for day in days:
        for batch in day_batches(run.lake, day, run.limits):
            if batcher.add(batch.with_columns(pl.lit(day).alias(DAY))):
                _write_days(run, ready, batcher, stats, preview_rows)
        ready.append(day)
    batcher.flush()
    _write_days(run, ready, batcher, stats, preview_rows)
    return stats


class _Batcher:
    """Collects scan inputs up to the batch limits, scans them, keeps results per day."""

    def __init__(self, run: ScoreRun, stats: ScoreStats) -> None:
        self.run = run
        self.stats = stats
        self.pending: list[pl.DataFrame] = []
        self.rows = 0
        self.bytes = 0
        self.found: dict[date, list[pl.DataFrame]] = {}
        self.scanned: dict[date, list[pl.DataFrame]] = {}

    def add(self, batch: pl.DataFrame) -> bool:
        """Queue ``batch``; scan the queue once it is full. True when it was scanned."""
        self.pending.append(batch)
        self.rows += batch.height
        self.bytes += batch["text"].str.len_bytes().sum()
        limits = self.run.limits
        if self.rows >= limits.max_rows or self.bytes >= limits.max_bytes:
            self.flush()
            return True
        return False

    def flush(self) -> None:
        if not self.pending:
            return
        inputs = pl.concat(self.pending)
        self.pending, self.rows, self.bytes = [], 0, 0
        started = time.perf_counter()
        found = scan(
            inputs,
            key=self.run.key,
            text_column="text",
            id_column="source_id",
            keep_columns=(*KEEP_COLUMNS, DAY),
            policy=self.run.policy,
            today=self.run.now.date(),
        )
        self.stats.seconds += time.perf_counter() - started
        self.stats.batches += 1
        self.stats.chars += inputs["text"].str.len_chars().sum()
        self.stats.bytes_scanned += inputs["text"].str.len_bytes().sum()
        scanned = inputs.group_by(DAY, *SOURCE, maintain_order=True).agg(
            *_FIRST_OF_SOURCE, pl.col("text").str.len_chars().sum().alias("chars")
        )
        for (day,), frame in found.partition_by(DAY, as_dict=True).items():
            self.found.setdefault(day, []).append(frame)
        for (day,), frame in scanned.partition_by(DAY, as_dict=True).items():
            self.scanned.setdefault(day, []).append(frame)

    def take(self, day: date) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The day's findings (lake shape, ``first_seen_at`` not set yet) and scans."""
        return (
            _findings_table(self.run, self.found.pop(day, [])),
            _scans_table(self.run, self.scanned.pop(day, [])),
        )


def _write_days(
    run: ScoreRun, ready: list[date], batcher: _Batcher, stats: ScoreStats, preview_rows: int
) -> None:
    """Write every day whose inputs have all been scanned; empties ``ready``."""
    for day in ready:
        findings, scans = batcher.take(day)
        findings = _with_first_seen(run, findings)
        run.lake.write_partition(
            FINDINGS, day, to_lake(findings, FINDINGS_SCHEMA), writer=run.writer
        )
        run.lake.write_partition(SCANS, day, to_lake(scans, SCANS_SCHEMA), writer=run.writer)
        stats.sources += scans.height
        stats.by_severity.update(dict(findings.group_by("severity").len().iter_rows()))
        stats.by_detector.update(dict(findings.group_by("detector").len().iter_rows()))
        stats.by_source_type.update(dict(findings.group_by("source_type").len().iter_rows()))
        room = preview_rows - len(stats.preview)
        if room > 0:
            stats.preview += findings.select(PREVIEW_COLUMNS).head(room).to_dicts()
    ready.clear()


def _findings_table(run: ScoreRun, found: list[pl.DataFrame]) -> pl.DataFrame:
    """Findings in the lake's shape, ``first_seen_at`` still to be carried over."""
    empty = pl.DataFrame(schema=frame_schema(FINDINGS_SCHEMA))
    frames = [frame for frame in found if not frame.is_empty()]
    if not frames:
        return empty
    return pl.concat([empty, *(_lake_shape(run, frame) for frame in frames)], how="vertical")


def _lake_shape(run: ScoreRun, frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        first_seen_at=pl.lit(None, pl.Datetime("us", "UTC")),
        scanned_at=pl.lit(run.now, pl.Datetime("us", "UTC")),
    ).select(pl.col(name).cast(dtype) for name, dtype in frame_schema(FINDINGS_SCHEMA).items())


def _scans_table(run: ScoreRun, scanned: list[pl.DataFrame]) -> pl.DataFrame:
    schema = frame_schema(SCANS_SCHEMA)
    if not scanned:
        return pl.DataFrame(schema=schema)
    # A source whose parts fell into two batches is still one scan.
    return (
        pl.concat(scanned)
        .group_by(SOURCE, maintain_order=True)
        .agg(*_FIRST_OF_SOURCE, pl.col("chars").sum())
        .with_columns(scanned_at=pl.lit(run.now, pl.Datetime("us", "UTC")))
        .select(pl.col(name).cast(dtype) for name, dtype in schema.items())
    )


def _with_first_seen(run: ScoreRun, findings: pl.DataFrame) -> pl.DataFrame:
    """``first_seen_at`` from the lake's earlier findings of the same key, else now."""
    existing = run.lake.scan(FINDINGS)
    now = pl.lit(run.now, pl.Datetime("us", "UTC"))
    if existing is None or findings.is_empty():
        return findings.with_columns(first_seen_at=now)
    fingerprints = findings["fingerprint"].unique().implode()
    earlier = (
        existing.filter(pl.col("fingerprint").is_in(fingerprints))
        .group_by(FINDING_KEY)
        .agg(pl.col("first_seen_at").min().alias("_earlier"))
        .collect()
    )
    return (
        findings.join(earlier, on=FINDING_KEY, how="left", nulls_equal=True)
        .with_columns(first_seen_at=pl.coalesce("_earlier", now))
        .drop("_earlier")
    )


def policy_for(profiles_path: str | None, today: date) -> Policy:
    """Built-in profiles plus the profiles file: ``profiles_path`` when given, else
    the one ``CASB_DLP_PROFILES`` names, else none."""
    path = Path(profiles_path).expanduser() if profiles_path else profiles_path_from_env()
    return load_policy(path, today)
