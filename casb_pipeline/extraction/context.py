"""What every stream extraction shares: the client, the lake, the days it covers,
and the bookkeeping (quarantine, tombstones, counts) written at the end."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from casb_pipeline.compliance import ComplianceClient
from casb_pipeline.compliance.errors import ComplianceApiError
from casb_pipeline.extraction.windows import Window
from casb_pipeline.lake import (
    QUARANTINE,
    TOMBSTONES,
    BlobStore,
    Lake,
    Quarantined,
    Tombstone,
    quarantine_table,
    tombstone_table,
)

log = logging.getLogger(__name__)


@dataclass
class StreamContext:
    """One extraction step of one asset over ``days`` (a partition or a backfill range).

    ``writer`` names this step's files in shared datasets (quarantine,
    tombstones, contents), so a re-run replaces only what it wrote itself.
    """

    client: ComplianceClient
    lake: Lake
    blobs: BlobStore
    days: list[date]
    now: datetime
    writer: str
    window: Window | None = None
    rows_written: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    quarantined: dict[date, list[Quarantined]] = field(default_factory=lambda: defaultdict(list))
    tombstones: dict[date, list[Tombstone]] = field(default_factory=lambda: defaultdict(list))

    @property
    def last_day(self) -> date:
        return max(self.days)

    def quarantine(
        self, day: date, object_id: str, stream: str, reason: str, request_id: str | None = None
    ) -> None:
        log.debug("quarantined %s %s: %s", stream, object_id, reason)
        self.quarantined[day].append(Quarantined(object_id, stream, reason, request_id, self.now))

    def quarantine_error(self, day: date, object_id: str, stream: str, error: Exception) -> None:
        """Quarantine after a failure that retries did not cure; the message is safe to keep."""
        request_id = error.request_id if isinstance(error, ComplianceApiError) else None
        reason = str(error) if isinstance(error, ComplianceApiError) else type(error).__name__
        self.quarantine(day, object_id, stream, reason, request_id)

    def tombstone(
        self,
        day: date,
        object_type: str,
        object_id: str,
        deleted_at: datetime,
        cause: str,
        evidence: str | None,
    ) -> None:
        self.tombstones[day].append(Tombstone(object_type, object_id, deleted_at, cause, evidence))

    def write_days(
        self,
        dataset: str,
        tables: dict[date, pa.Table],
        schema: pa.Schema,
        writer: str | None = None,
    ) -> None:
        """Replace ``dataset``'s file for every day of the run (empty days too)."""
        for day in self.days:
            table = tables.get(day, schema.empty_table())
            if writer is None:
                self.lake.write_partition(dataset, day, table)
            else:
                self.lake.write_partition(dataset, day, table, writer=writer)
            self.rows_written[dataset] += table.num_rows

    def finish(self) -> dict[str, Any]:
        """Write this step's quarantine and tombstone files; return run metadata."""
        for day in self.days:
            self.lake.write_partition(
                QUARANTINE, day, quarantine_table(self.quarantined.get(day, [])), writer=self.writer
            )
            self.lake.write_partition(
                TOMBSTONES, day, tombstone_table(self.tombstones.get(day, [])), writer=self.writer
            )
        stats = self.client.stats.snapshot()
        return {
            "rows_written": sum(self.rows_written.values()),
            "rows_by_dataset": dict(self.rows_written),
            "requests": stats["requests_total"],
            "retries": stats["retries_total"],
            "bytes_downloaded": stats["bytes_downloaded"],
            "quarantined": sum(len(v) for v in self.quarantined.values()),
            "tombstones": sum(len(v) for v in self.tombstones.values()),
            **{f"skipped_{reason}": count for reason, count in self.skipped.items()},
            "window": self.window.label() if self.window else f"{min(self.days)}..{self.last_day}",
            "days": len(self.days),
        }


def group_by_day(rows: Iterable[tuple[date, Any]]) -> dict[date, list[Any]]:
    grouped: dict[date, list[Any]] = defaultdict(list)
    for day, row in rows:
        grouped[day].append(row)
    return grouped
