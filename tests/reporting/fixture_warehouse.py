"""A small warehouse with the ARCHITECTURE.md mart columns, hostile names and planted raw values.

Raw values sit only where exports must never read them from (message text,
a project's description, a project name with a finding on it); the marts
carry masked renderings and fingerprints only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

T0 = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)

RAW_AWS_KEY = "AKIAQ7RZ4WQXEXAMPLE7"
RAW_CARD = "4111 1111 1111 1111"
RAW_TOKEN = "ghp_R4wT0kenValue0123456789abcdefABCDEF"
PLANTED = (RAW_AWS_KEY, RAW_CARD, RAW_TOKEN)

HOSTILE_NAME = '<script>alert("x")</script> & "plans"'
HOSTILE_EMAIL = 'o"brien<b>@example.com'
HOSTILE_DETAIL = "<img src=x onerror=alert(1)> shared org-wide"

_DDL = {
    "stg_users": "id varchar, email varchar, full_name varchar",
    "stg_projects": "id varchar, name varchar, is_private boolean, description varchar",
    "stg_chat_messages": "id varchar, chat_id varchar, text varchar",
    "findings": (
        "finding_id varchar, source_type varchar, source_id varchar, detector varchar, "
        'profile varchar, fingerprint varchar, part varchar, start bigint, "end" bigint, '
        "chat_id varchar, project_id varchar, user_id varchar, user_email varchar, "
        "organization_id varchar, confidence varchar, severity varchar, match_count bigint, "
        "masked varchar, first_seen_at timestamptz, last_seen_at timestamptz, status varchar, "
        "resolution varchar, due_date date"
    ),
    "posture_report": (
        "check_id varchar, subject_type varchar, subject_id varchar, severity varchar, "
        "detail varchar"
    ),
    "user_risk": (
        "user_id varchar, user_email varchar, risk_score double, open_findings bigint, "
        "open_critical bigint"
    ),
    "action_list": (
        "action_id varchar, action_type varchar, target_type varchar, target_id varchar, "
        "severity varchar, reason varchar, finding_ids varchar[], due_date date, "
        "status varchar, rank bigint"
    ),
}


@dataclass
class FixtureWarehouse:
    """Rows per table; :meth:`write` creates the DuckDB file."""

    tables: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {name: [] for name in _DDL}
    )

    def add(self, table: str, *rows: Sequence[Any]) -> FixtureWarehouse:
        self.tables[table].extend(tuple(r) for r in rows)
        return self

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        with duckdb.connect(str(path)) as con:
            for name, ddl in _DDL.items():
                con.execute(f"create table {name} ({ddl})")
                rows = self.tables[name]
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    con.executemany(f"insert into {name} values ({marks})", rows)  # noqa: S608
        return path


def finding(
    n: int,
    *,
    detector: str,
    severity: str,
    source_type: str = "chat_message",
    status: str = "open",
    resolution: str | None = None,
    user: str | None = "user_a",
    email: str | None = "alice@example.com",
    chat: str | None = "claude_chat_1",
    project: str | None = None,
    masked: str = "AKIA************PLE7",
    part: str | None = None,
    day: int = 0,
) -> tuple[Any, ...]:
    first = T0 + timedelta(days=day)
    return (
        f"fnd_{n:04d}",
        source_type,
        project if source_type == "project" else f"{source_type}_{n}",
        detector,
        "credentials" if severity in ("critical", "high") else "pii",
        f"fp{n:062x}",
        part,
        3,
        23,
        chat,
        project,
        user,
        email,
        "7d0c5e44-8a0b-4d3e-9f77-3c5b1c2a9e10",
        "high",
        severity,
        1 + n % 3,
        masked,
        first,
        first + timedelta(hours=5),
        status,
        resolution,
        first.date(),
    )


def action(
    action_id: str,
    action_type: str,
    target_type: str,
    target_id: str,
    *,
    severity: str = "critical",
    reason: str = "A live AWS key (AKIA************PLE7) was pasted into a chat.",
    findings: Sequence[str] = ("fnd_0001",),
    rank: int = 1,
) -> tuple[Any, ...]:
    return (
        action_id,
        action_type,
        target_type,
        target_id,
        severity,
        reason,
        list(findings),
        date(2026, 11, 10),
        "proposed",
        rank,
    )


def standard_warehouse() -> FixtureWarehouse:
    """Findings over four days, every severity and status, every action type, hostile names."""
    wh = FixtureWarehouse()
    wh.add(
        "stg_users",
        ("user_a", "alice@example.com", "Alice"),
        ("user_b", "bob@example.com", "Bob"),
        ("user_c", None, "No Email"),
        ("user_h", HOSTILE_EMAIL, HOSTILE_NAME),
    )
    wh.add(
        "stg_projects",
        ("claude_proj_open", HOSTILE_NAME, False, f"deploy with {RAW_AWS_KEY}"),
        ("claude_proj_secret_name", f"keys {RAW_TOKEN}", True, "nothing"),
        ("claude_proj_private", "Private notes", True, ""),
    )
    wh.add(
        "stg_chat_messages",
        ("claude_chat_msg_1", "claude_chat_1", f"my key is {RAW_AWS_KEY} and card {RAW_CARD}"),
    )
    wh.add(
        "findings",
        finding(1, detector="aws_access_key_id", severity="critical", day=0),
        finding(
            2,
            detector="credit_card_number",
            severity="high",
            masked="4111 **** **** 1111",
            day=0,
        ),
        finding(
            3,
            detector="github_token",
            severity="critical",
            source_type="project",
            project="claude_proj_secret_name",
            chat=None,
            part="name",
            masked="ghp_****************************CDEF",
            day=1,
        ),
        finding(
            4,
            detector="aws_access_key_id",
            severity="critical",
            source_type="project",
            project="claude_proj_open",
            chat=None,
            part="description",
            day=1,
        ),
        finding(
            5,
            detector="email_address",
            severity="medium",
            source_type="chat_file",
            user="user_b",
            email="bob@example.com",
            masked="j***@example.org",
            part="page:2",
            day=2,
        ),
        finding(
            6,
            detector="us_ssn",
            severity="high",
            status="resolved",
            resolution="deleted_by_user",
            day=2,
        ),
        finding(
            7,
            detector="phone_number",
            severity="low",
            status="ignored",
            resolution="allowlisted",
            user="user_h",
            email=HOSTILE_EMAIL,
            masked="+1 ***-***-0100",
            day=3,
        ),
        finding(
            8,
            detector="slack_token",
            severity="high",
            source_type="project_attachment",
            project="claude_proj_open",
            chat=None,
            user="user_h",
            email=HOSTILE_EMAIL,
            masked="xoxb-****",
            day=3,
        ),
    )
    wh.add(
        "posture_report",
        (
            "org_visible_project_with_findings",
            "project",
            "claude_proj_open",
            "critical",
            HOSTILE_DETAIL,
        ),
        ("repeated_critical_findings", "user", "user_a", "high", "2 critical findings (AKIA…)"),
        ("quarantined_object", "chat_file", "claude_file_q", "low", "unreadable PDF"),
    )
    wh.add(
        "user_risk",
        ("user_a", "alice@example.com", 42.5, 3, 1),
        ("user_h", HOSTILE_EMAIL, 17.0, 1, 0),
        ("user_b", "bob@example.com", 3.0, 1, 0),
    )
    wh.add(
        "action_list",
        action("act_01", "rotate_credential", "finding", "fnd_0001", rank=1),
        action("act_02", "delete_chat", "chat", "claude_chat_1", rank=2),
        action("act_03", "make_project_private", "project", "claude_proj_open", rank=3),
        action("act_04", "block_uploads_for_user", "user", "user_a", severity="high", rank=4),
        action(
            "act_05",
            "restrict_app_access_for_user",
            "user",
            "user_h",
            severity="high",
            rank=5,
        ),
        action("act_06", "block_uploads_for_user", "user", "user_c", severity="high", rank=6),
        action(
            "act_07",
            "delete_file",
            "chat_file",
            "claude_file_7",
            severity="medium",
            reason='=HYPERLINK("http://evil.test") uploaded file with an email address',
            rank=7,
        ),
        action("act_08", "delete_project_document", "project_doc", "claude_proj_doc_8", rank=8),
        action("act_09", "notify_owner", "user", "user_b", severity="medium", rank=9),
    )
    return wh
