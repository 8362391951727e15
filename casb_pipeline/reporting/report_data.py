"""What the HTML posture report shows, queried from the marts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from casb_pipeline.reporting.charts import SEVERITY_COLORS, Chart, day_columns, row_chart
from casb_pipeline.reporting.marts import SEVERITIES, MartReader, action_list_sql

TOP_N = 10
REPORT_TABLES = ("findings", "posture_report", "user_risk", "action_list", "project_exposure")

_OPEN_BY_SEVERITY = "select severity, count(*) from findings where status = 'open' group by 1"
_BY_DAY = (
    "select cast(first_seen_at as date) as day, severity, count(*) "
    "from findings where first_seen_at is not null group by all"
)
_BY_SOURCE = (
    "select source_type, count(*) from findings where status = 'open' group by 1 order by 2 desc, 1"
)
_TOP_USERS = (
    "select coalesce(user_email, user_id, 'unknown user'), risk_score from user_risk "
    "where risk_score > 0 order by risk_score desc, 1 limit ?"
)
# Projects by id, never by name: a name is user content and may hold the very values the
# findings are about (in whichever part the finding's location names).
_TOP_PROJECTS = """
select
    findings.project_id
    || case when coalesce(exposure.org_visible, false) then ' (org-visible)' else '' end
        as label,
    count(*) as open_count
from findings
left join project_exposure as exposure on exposure.project_id = findings.project_id
where findings.status = 'open' and findings.project_id is not null
group by all
order by open_count desc, label
limit ?
"""
_HEADLINE = """
select
    count(*) filter (where status = 'open') as open_findings,
    count(*) filter (where status = 'open' and severity = 'critical') as open_critical,
    count(*) filter (where status = 'resolved') as resolved,
    count(*) filter (where status = 'ignored') as ignored,
    count(distinct user_id) filter (where status = 'open') as users_with_open_findings
from findings
"""
_DETECTORS = """
select
    detector,
    min(list_position(['critical', 'high', 'medium', 'low'], severity)) as rank,
    count(*) filter (where status = 'open') as open,
    count(*) filter (where status = 'resolved') as resolved,
    count(*) filter (where status = 'ignored') as ignored
from findings
group by detector
order by open desc, rank, detector
"""
_POSTURE = (
    "select check_id, subject_type, subject_id, severity, detail from posture_report "
    "order by list_position(['critical', 'high', 'medium', 'low'], severity), check_id, "
    "subject_id limit ?"
)


@dataclass
class ReportData:
    headline: dict[str, int]
    charts: list[Chart]
    posture: list[dict[str, Any]]
    posture_total: int
    actions: list[dict[str, Any]]
    actions_total: int
    detectors: list[dict[str, Any]]


def collect_report(marts: MartReader, *, table_limit: int = 500) -> ReportData:
    """Headline numbers, the five charts and the tables (each capped at ``table_limit``)."""
    marts.require(REPORT_TABLES)
    headline_row = next(marts.records(_HEADLINE))
    headline = {k: int(v or 0) for k, v in headline_row.items()}
    headline["actions"] = int(marts.scalar("select count(*) from action_list"))
    headline["posture_findings"] = int(marts.scalar("select count(*) from posture_report"))
    return ReportData(
        headline=headline,
        charts=_charts(marts),
        posture=list(marts.records(_POSTURE, [table_limit])),
        posture_total=headline["posture_findings"],
        actions=list(marts.records(action_list_sql(marts) + " limit ?", [table_limit])),
        actions_total=headline["actions"],
        detectors=list(marts.records(_DETECTORS)),
    )


def _charts(marts: MartReader) -> list[Chart]:
    open_by_severity = dict(marts.tuples(_OPEN_BY_SEVERITY))
    by_day: dict[tuple[date, str], int] = {
        (day, severity): count for day, severity, count in marts.tuples(_BY_DAY)
    }
    return [
        day_columns(
            "findings-over-time",
            "Findings by first-seen day",
            by_day,
            SEVERITIES,
            SEVERITY_COLORS,
        ),
        row_chart(
            "open-by-severity",
            "Open findings by severity",
            [(s, int(open_by_severity.get(s, 0))) for s in SEVERITIES],
            SEVERITY_COLORS,
        ),
        row_chart(
            "open-by-source",
            "Open findings by source",
            [(source, int(n)) for source, n in marts.tuples(_BY_SOURCE)],
        ),
        row_chart(
            "top-users",
            f"Top {TOP_N} users by risk score",
            [(str(user), float(score)) for user, score in marts.tuples(_TOP_USERS, [TOP_N])],
        ),
        row_chart(
            "top-projects",
            f"Top {TOP_N} projects by open findings",
            [(str(label), int(n)) for label, n in marts.tuples(_TOP_PROJECTS, [TOP_N])],
        ),
    ]
