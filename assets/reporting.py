"""The marts in Dagster: what each one is, the metadata it reports, and the SQL audits
(``sql/audits/*.sql``) as its asset checks.

An audit file starts with comment lines: a description, then ``-- assets: a, b`` (the
marts it checks) and ``-- blocking: true|false``. It returns the bad rows; an audit of
several marts returns a ``mart`` column saying which one each row belongs to. Blocking
audits gate the build (they run on the new file before it is swapped in); the others
run on the swapped-in file.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import dagster as dg
import duckdb

from casb_pipeline.errors import CasbError
from casb_pipeline.warehouse import AuditRun, Model, load_audits, records, run_audits

GROUP = "reporting"

MARTS: dict[str, str] = {
    "findings": "One row per sensitive value in one object (source, detector, fingerprint) "
    "with a stable finding_id, first and last sighting, owner, masked value and lifecycle: "
    "open, resolved (deleted_by_user, source_deleted, value_removed) or ignored (allowlisted).",
    "posture_report": "One row per posture check and subject (exposed projects, reused "
    "secrets, deleted chats, repeat offenders, overdue findings, unscanned files, "
    "quarantined objects), with a severity and a masked detail.",
    "user_risk": "A risk score per user from their open findings (severity, confidence, "
    "recency, org-wide exposure, distinct secrets), with open findings by severity.",
    "action_list": "Ranked remediation proposals (rotate, delete, make private, notify, "
    "block uploads, restrict access), each with its target, findings and due date.",
}

PREVIEW_ROWS = 5

# Per mart: the columns its rows are counted by, and the preview (masked values only).
_COUNTS: dict[str, tuple[str, ...]] = {
    "findings": ("status", "severity", "resolution", "detector"),
    "posture_report": ("severity", "check_id"),
    "user_risk": (),
    "action_list": ("action_type", "severity"),
}
_PREVIEWS: dict[str, str] = {
    "findings": "select finding_id, severity, detector, masked, source_type, status "
    "from findings order by status = 'open' desc, severity_level desc, first_seen_at, finding_id",
    "posture_report": "select check_id, severity, subject_type, subject_id, detail "
    "from posture_report order by severity_level desc, check_id, subject_id",
    "user_risk": "select risk_rank, user_email, risk_score, open_critical, open_high, "
    "open_medium, open_low from user_risk order by risk_rank",
    "action_list": "select rank, action_type, severity, target_type, target_id, due_date "
    "from action_list order by rank",
}

_HEADER = re.compile(r"^--\s*(assets|blocking):\s*(.*?)\s*$")


class AuditError(CasbError):
    """An audit file's header is missing or names what does not exist."""


@dataclass(frozen=True)
class Audit:
    """One SQL audit and the marts whose asset checks it drives."""

    model: Model
    description: str
    assets: tuple[str, ...]
    blocking: bool

    @property
    def name(self) -> str:
        return self.model.name

    @classmethod
    def from_model(cls, model: Model) -> "Audit":
        fields: dict[str, str] = {}
        description = []
        for line in model.sql.splitlines():
            if not line.startswith("--"):
                break
            header = _HEADER.match(line)
            if header:
                fields[header.group(1)] = header.group(2)
            else:
                description.append(line.removeprefix("--").strip())
        assets = tuple(a.strip() for a in fields.get("assets", "").split(",") if a.strip())
        unknown = [a for a in assets if a not in MARTS]
        if not assets or unknown:
            raise AuditError(
                f"audit {model.path.name}: its header needs '-- assets: <marts>' naming "
                f"marts among {', '.join(MARTS)}"
                + (f" (unknown: {', '.join(unknown)})" if unknown else "")
            )
        blocking = fields.get("blocking", "false").lower()
        if blocking not in ("true", "false"):
            raise AuditError(f"audit {model.path.name}: '-- blocking:' must be true or false")
        return cls(model, " ".join(description), assets, blocking == "true")

    def check_keys(self) -> list[dg.AssetCheckKey]:
        return [dg.AssetCheckKey(dg.AssetKey(asset), self.name) for asset in self.assets]


def audits() -> list[Audit]:
    return [Audit.from_model(model) for model in load_audits()]


def audit_check_specs(checks: Sequence[Audit]) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            audit.name, asset=asset, blocking=audit.blocking, description=audit.description
        )
        for audit in checks
        for asset in audit.assets
    ]


def audit_results(
    con: duckdb.DuckDBPyConnection,
    checks: Sequence[Audit],
    selected: Iterable[dg.AssetCheckKey],
) -> list[dg.AssetCheckResult]:
    """Run each audit with a selected check once; one result per selected check."""
    wanted = set(selected)
    chosen = [audit for audit in checks if any(key in wanted for key in audit.check_keys())]
    return check_results(chosen, run_audits(con, [audit.model for audit in chosen]), wanted)


def check_results(
    checks: Sequence[Audit], runs: Sequence[AuditRun], selected: Iterable[dg.AssetCheckKey]
) -> list[dg.AssetCheckResult]:
    """One result per selected check of ``checks`` that has a run in ``runs``."""
    wanted = set(selected)
    bad_rows = {run.audit.name: run.rows for run in runs}
    results = []
    for audit in checks:
        bad = bad_rows.get(audit.name)
        if bad is None:
            continue
        for key in (key for key in audit.check_keys() if key in wanted):
            mart = key.asset_key.path[-1]
            rows = [r for r in bad if len(audit.assets) == 1 or r.get("mart") == mart]
            results.append(
                dg.AssetCheckResult(
                    check_name=audit.name,
                    asset_key=key.asset_key,
                    passed=not rows,
                    severity=dg.AssetCheckSeverity.ERROR
                    if audit.blocking
                    else dg.AssetCheckSeverity.WARN,
                    metadata={
                        "bad_rows": len(rows),
                        "sample": dg.MetadataValue.md(markdown_table(rows[:10]) or "none"),
                    },
                )
            )
    return results


def mart_metadata(con: duckdb.DuckDBPyConnection, mart: str) -> dict[str, Any]:
    """Row count, counts by the mart's key columns, and a small preview (masked values)."""
    metadata: dict[str, Any] = {
        "rows": con.execute(f"select count(*) from {mart}").fetchone()[0]  # noqa: S608
    }
    for column in _COUNTS[mart]:
        counts = con.execute(
            f"select coalesce({column}::varchar, 'none'), count(*) from {mart} "  # noqa: S608
            f"group by all order by count(*) desc, 1"
        ).fetchall()
        metadata[f"by_{column}"] = dg.MetadataValue.json(dict(counts))
    preview = records(con, f"{_PREVIEWS[mart]} limit {PREVIEW_ROWS}")
    metadata["preview"] = dg.MetadataValue.md(markdown_table(preview) or "no rows")
    return metadata


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    """A Markdown table of ``rows`` (cells with pipes and line breaks made safe)."""
    if not rows:
        return ""
    names = list(rows[0])
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for row in rows:
        cells = ("" if row[n] is None else str(row[n]) for n in names)
        lines.append(
            "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"
        )
    return "\n".join(lines)
