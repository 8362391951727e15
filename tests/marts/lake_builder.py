"""Small fixture lakes for the mart tests: API records, scans and findings as Parquet.

API streams are parsed from API-shaped objects and written with ``records_to_table``;
scoring datasets (``scans``, ``findings``, ``text_coverage``), tombstones and the
quarantine use their lake schemas. ``FixtureLake.build()`` writes what is pending and
runs the real warehouse build over the lake.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from casb_pipeline.compliance import records, records_to_table
from casb_pipeline.compliance.parsing import parse_object
from casb_pipeline.extraction.ledgers import PROJECT_LISTINGS, PROJECT_LISTINGS_SCHEMA
from casb_pipeline.lake import (
    QUARANTINE,
    TOMBSTONES,
    Lake,
    Quarantined,
    Tombstone,
    quarantine_table,
    tombstone_table,
)
from casb_pipeline.scoring.tables import (
    FINDINGS,
    FINDINGS_SCHEMA,
    SCANS,
    SCANS_SCHEMA,
    TEXT_COVERAGE,
    TEXT_COVERAGE_SCHEMA,
)
from casb_pipeline.warehouse import build_warehouse, load_models
from casb_pipeline.warehouse.sources import lake_sources

ORG = "3f6c1e2a-7b4d-4c8e-9a1f-5d2e8b7c6a90"
NOW = datetime.now(UTC).replace(microsecond=0)

# detector -> (profile, severity, masked rendering) as the DLP reports them
DETECTORS: dict[str, tuple[str, str, str]] = {
    "aws_access_key_id": ("credentials", "high", "AKIA…(20 chars)"),
    "aws_secret_access_key": ("credentials", "critical", "aws secret …(40 chars)"),
    "github_token": ("credentials", "high", "ghp_…(40 chars)"),
    "stripe_secret_key": ("credentials", "critical", "sk_live_…(32 chars)"),
    "jwt": ("credentials", "medium", "eyJhbGci…(310 chars)"),
    "us_ssn": ("national_ids", "high", "***-**-6789"),
    "credit_card_number": ("financial", "high", "visa ****1111"),
    "iban": ("financial", "medium", "DE** **** **** **** **30 00"),
    "email_address": ("contact_pii", "low", "m***@example.com"),
}
OTHER = ("other", "medium", "[value]")


def fingerprint(label: str) -> str:
    """A stand-in for the keyed fingerprint of the value ``label`` names."""
    return hashlib.sha256(label.encode()).hexdigest()


def ago(days: float = 0, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


@dataclass(frozen=True)
class Hit:
    """One match a scan reports: ``value`` names the value (its fingerprint's input)."""

    detector: str
    value: str
    part: str | None = None
    start: int = 0
    allowlisted: bool = False
    severity: str | None = None
    first_seen_at: datetime | None = None
    masked: str | None = None
    confidence: str = "high"


@dataclass
class Warehouse:
    path: Path

    def rows(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            cursor = con.execute(sql, list(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def one(self, sql: str, *params: Any) -> dict[str, Any]:
        found = self.rows(sql, *params)
        assert len(found) == 1, f"expected one row, got {len(found)}: {found}"
        return found[0]

    def finding(self, source_id: str, detector: str) -> dict[str, Any]:
        return self.one(
            "select * from findings where source_id = ? and detector = ?", source_id, detector
        )

    def posture(self, check_id: str) -> list[dict[str, Any]]:
        return self.rows(
            "select * from posture_report where check_id = ? order by subject_id", check_id
        )

    def actions(self, action_type: str) -> list[dict[str, Any]]:
        return self.rows(
            "select * from action_list where action_type = ? order by target_id", action_type
        )


@dataclass
class FixtureLake:
    """API objects, scans and side rows, written to a lake under ``data_dir``."""

    data_dir: Path
    _records: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    _rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    _chat_of: dict[str, str] = field(default_factory=dict)
    _project_of: dict[str, str] = field(default_factory=dict)
    _flushes: int = 0

    @property
    def lake(self) -> Lake:
        return Lake(self.data_dir / "lake")

    # --- API objects ---------------------------------------------------------------

    def user(self, user_id: str, email: str) -> None:
        self._record(
            "users",
            records.User,
            {"id": user_id, "email": email, "full_name": user_id.title()},
            organization_uuid=ORG,
        )

    def chat(
        self,
        chat_id: str,
        user_id: str,
        *,
        email: str | None = None,
        project_id: str | None = None,
        updated_at: datetime | None = None,
        deleted_at: datetime | None = None,
    ) -> None:
        updated = updated_at or ago(days=20)
        self._record(
            "chats",
            records.Chat,
            {
                "id": chat_id,
                "name": "" if deleted_at else f"chat {chat_id}",
                "created_at": iso(ago(days=30)),
                "updated_at": iso(max(updated, deleted_at or updated)),
                "deleted_at": iso(deleted_at),
                "organization_uuid": ORG,
                "project_id": project_id,
                "user": {"id": user_id, "email_address": email or f"{user_id}@example.com"},
            },
        )

    def message(
        self,
        message_id: str,
        chat_id: str,
        *,
        files: tuple[str, ...] = (),
        generated: tuple[str, ...] = (),
        artifacts: tuple[str, ...] = (),
        expired: tuple[str, ...] = (),
        text: str = "see attached",
    ) -> None:
        """A message with uploads, generated files (``expired``: listed without a size,
        as the API lists expired ones) and artifact versions."""
        self._chat_of[message_id] = chat_id
        for file_id in (*files, *generated, *expired):
            self._chat_of[file_id] = chat_id
        for version_id in artifacts:
            self._chat_of[version_id] = chat_id
            self._record(
                "artifacts",
                records.Artifact,
                {"id": f"art_{version_id}", "version_id": version_id, "claude_chat_id": chat_id},
            )
        self._record(
            "chat_messages",
            records.ChatMessage,
            {
                "id": message_id,
                "role": "user",
                "created_at": iso(ago(days=25)),
                "content": [{"type": "text", "text": text}],
                "files": [
                    {"id": f, "filename": f"{f}.pdf", "mime_type": "application/pdf"} for f in files
                ],
                "generated_files": [
                    {"id": g, "filename": f"{g}.csv", "size_bytes": 1024} for g in generated
                ]
                + [{"id": g, "filename": f"{g}.csv"} for g in expired],
                "artifacts": [{"id": f"art_{a}", "version_id": a} for a in artifacts],
            },
            chat_id=chat_id,
            chat_updated_at=ago(days=20),
        )

    def project(
        self,
        project_id: str,
        user_id: str,
        *,
        is_private: bool = True,
        updated_at: datetime | None = None,
        deleted_at: datetime | None = None,
    ) -> None:
        self._project_of[project_id] = project_id
        self._record(
            "projects",
            records.Project,
            {
                "id": project_id,
                "name": f"project {project_id}",
                "description": "",
                "instructions": "",
                "is_private": is_private,
                "created_at": iso(ago(days=40)),
                "updated_at": iso(updated_at or ago(days=30)),
                "deleted_at": iso(deleted_at),
                "organization_uuid": ORG,
                "user": {"id": user_id, "email_address": f"{user_id}@example.com"},
            },
        )

    def attachments(self, project_id: str, items: dict[str, str], listed_at: datetime) -> None:
        """The project's whole attachment listing: id -> project_file | project_doc."""
        for attachment_id, kind in items.items():
            self._project_of[attachment_id] = project_id
            self._record(
                "project_attachments",
                records.ProjectAttachment,
                {"id": attachment_id, "type": kind, "filename": f"{attachment_id}.txt"},
                project_id=project_id,
                extracted_at=listed_at,
            )
        self._rows[PROJECT_LISTINGS].append(
            {"project_id": project_id, "kind": "attachments", "listed_at": listed_at}
        )

    def collaborators(self, project_id: str, grants: list[tuple[str, str]]) -> None:
        """The project's whole collaborator listing: (principal type, principal id)."""
        listed_at = ago(days=1)
        column = {
            "user": "user_id",
            "group": "group_id",
            "organization": "organization_uuid",
            "organization_role": "organization_role",
        }
        for n, (kind, principal) in enumerate(grants):
            self._record(
                "project_collaborators",
                records.ProjectCollaborator,
                {
                    "type": kind,
                    column[kind]: principal,
                    "role": "viewer",
                    "granted_at": iso(ago(days=30, hours=n)),
                },
                project_id=project_id,
                extracted_at=listed_at,
            )
        self._rows[PROJECT_LISTINGS].append(
            {"project_id": project_id, "kind": "collaborators", "listed_at": listed_at}
        )

    def sharing(self, event_id: str, project_id: str, audience: list[str], at: datetime) -> None:
        self._record(
            "activities",
            records.Activity,
            {
                "id": event_id,
                "created_at": iso(at),
                "type": "claude_project_sharing_updated",
                "organization_uuid": ORG,
                "actor": {"type": "user_actor", "email_address": "owner@example.com"},
                "claude_project_id": project_id,
                "audience": [{"type": kind} for kind in audience],
            },
        )

    # --- side tables and scoring --------------------------------------------------

    def tombstone(self, object_type: str, object_id: str, at: datetime) -> None:
        tombstone = Tombstone(object_type, object_id, at, "activity", None)
        self._rows[TOMBSTONES].append(asdict(tombstone))

    def quarantine(self, object_id: str, stream: str, reason: str) -> None:
        quarantined = Quarantined(object_id, stream, reason, None, ago(days=1))
        self._rows[QUARANTINE].append(asdict(quarantined))

    def coverage(
        self, source_type: str, source_id: str, status: str, reason: str | None = None
    ) -> None:
        self._rows[TEXT_COVERAGE].append(
            {
                **self._source(source_type, source_id),
                "detected_format": "png" if status != "scanned" else "pdf",
                "status": status,
                "reason": reason,
                "size_bytes": 2048,
                "extracted_at": ago(hours=1),
            }
        )

    def scan(
        self,
        source_type: str,
        source_id: str,
        at: datetime,
        hits: list[Hit],
        *,
        version: datetime | None = None,
    ) -> None:
        """One DLP scan of a source (of its content as of ``version``): its scans row and
        one findings row per hit."""
        where = {**self._source(source_type, source_id), "source_updated_at": version}
        self._rows[SCANS].append({**where, "chars": 500, "scanned_at": at})
        for hit in hits:
            profile, severity, masked = DETECTORS.get(hit.detector, OTHER)
            self._rows[FINDINGS].append(
                {
                    **where,
                    "part": hit.part,
                    "detector": hit.detector,
                    "profile": profile,
                    "start": hit.start,
                    "end": hit.start + 20,
                    "confidence": hit.confidence,
                    "severity": hit.severity or severity,
                    "masked": hit.masked or masked,
                    "fingerprint": fingerprint(hit.value),
                    "allowlisted": hit.allowlisted,
                    "allowlist_reason": "known test value" if hit.allowlisted else None,
                    "first_seen_at": hit.first_seen_at or at,
                    "scanned_at": at,
                }
            )

    # --- writing and building -------------------------------------------------------

    def write(self, extracted_at: datetime | None = None, *, legacy: bool = False) -> None:
        """Write everything pending as one more file per dataset; ``legacy``: scans and
        findings files as written before they had ``source_updated_at``."""
        self._flushes += 1
        writer = f"fixture{self._flushes}"
        day = (extracted_at or NOW).date()
        for stream, pending in self._records.items():
            by_time: dict[datetime, list[Any]] = defaultdict(list)
            for at, record in pending:
                by_time[at or extracted_at or NOW].append(record)
            tables = [
                records_to_table(stream, rows, extracted_at=at, partition=day.isoformat())
                for at, rows in by_time.items()
            ]
            table = pa.concat_tables(tables)
            if stream in ("users", "organizations"):
                self.lake.write_snapshot(stream, extracted_at or NOW, table)
            else:
                self.lake.write_partition(stream, day, table, writer=writer)
        schemas = {
            PROJECT_LISTINGS: PROJECT_LISTINGS_SCHEMA,
            TOMBSTONES: tombstone_table([]).schema,
            QUARANTINE: quarantine_table([]).schema,
            TEXT_COVERAGE: TEXT_COVERAGE_SCHEMA,
            SCANS: SCANS_SCHEMA,
            FINDINGS: FINDINGS_SCHEMA,
        }
        for dataset, rows in self._rows.items():
            table = pa.Table.from_pylist(rows, schema=schemas[dataset])
            if legacy and dataset in (SCANS, FINDINGS):
                table = table.drop_columns(["source_updated_at"])
            self.lake.write_partition(dataset, day, table, writer=writer)
        self._records.clear()
        self._rows.clear()

    def build(self, extracted_at: datetime | None = None) -> Warehouse:
        self.write(extracted_at)
        target = self.data_dir / "warehouse.duckdb"
        build_warehouse(target, lake_sources(self.lake), load_models())
        return Warehouse(target)

    def _record(
        self,
        stream: str,
        cls: type,
        obj: dict[str, Any],
        *,
        extracted_at: datetime | None = None,
        **context: Any,
    ) -> None:
        self._records[stream].append((extracted_at, parse_object(cls, obj, context)))

    def _source(self, source_type: str, source_id: str) -> dict[str, Any]:
        return {
            "source_type": source_type,
            "source_id": source_id,
            "chat_id": self._chat_of.get(source_id),
            "project_id": self._project_of.get(source_id),
        }
