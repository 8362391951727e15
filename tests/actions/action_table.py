"""A warehouse holding only an ``action_list`` written by hand.

For what the marts never propose but the executor must survive: unknown
action types, targets of the wrong kind, objects already gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

_COLUMNS = (
    "action_id varchar, action_type varchar, target_type varchar, target_id varchar, "
    "severity varchar, reason varchar, finding_ids varchar[], due_date date, "
    'status varchar, "rank" bigint'
)


def action(
    action_id: str,
    action_type: str,
    target_type: str,
    target_id: str,
    *,
    rank: int,
    severity: str = "critical",
    findings: Sequence[str] = ("fnd_1",),
) -> tuple[Any, ...]:
    reason = f"{action_type} of {target_type} {target_id}"
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


def write_action_list(warehouse: Path, *rows: tuple[Any, ...]) -> Path:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    warehouse.unlink(missing_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"create table action_list ({_COLUMNS})")
        con.executemany("insert into action_list values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return warehouse
