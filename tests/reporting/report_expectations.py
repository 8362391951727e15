"""What the report must show, computed from the warehouse independently of the report code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

CHART_IDS = (
    "findings-over-time",
    "open-by-severity",
    "open-by-source",
    "top-users",
    "top-projects",
)


@dataclass(frozen=True)
class Expected:
    bars: dict[str, int]  # chart id -> number of bars with a value above zero
    posture_rows: int
    action_rows: int
    detector_rows: int


def expected_report(warehouse: Path) -> Expected:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")

        def count(sql: str) -> int:
            return con.execute(sql).fetchone()[0]

        bars = {
            "findings-over-time": count(
                "select count(*) from (select distinct first_seen_at::date, severity from findings)"
            ),
            "open-by-severity": count(
                "select count(distinct severity) from findings where status = 'open'"
            ),
            "open-by-source": count(
                "select count(distinct source_type) from findings where status = 'open'"
            ),
            "top-users": count("select least(count(*), 10) from user_risk where risk_score > 0"),
            "top-projects": count(
                "select least(count(distinct project_id), 10) from findings "
                "where status = 'open' and project_id is not null"
            ),
        }
        return Expected(
            bars=bars,
            posture_rows=count("select least(count(*), 500) from posture_report"),
            action_rows=count("select least(count(*), 500) from action_list"),
            detector_rows=count("select count(distinct detector) from findings"),
        )
