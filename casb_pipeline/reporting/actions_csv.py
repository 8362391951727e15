"""The action list as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from casb_pipeline.actions.catalog import execution_of

COLUMNS = (
    "rank",
    "action_id",
    "action_type",
    "execution",
    "target_type",
    "target_id",
    "severity",
    "due_date",
    "status",
    "reason",
    "finding_count",
    "finding_ids",
)
# A cell starting with one of these is a formula to spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One value as text: lists space-separated, dates ISO, formulas defused with a quote."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def action_row(action: Mapping[str, Any], position: int) -> list[str]:
    findings = action.get("finding_ids") or []
    values = {
        **action,
        "rank": action.get("rank") or position,
        "execution": execution_of(str(action.get("action_type"))),
        "finding_count": len(findings),
        "finding_ids": findings,
    }
    return [csv_cell(values.get(column)) for column in COLUMNS]


def actions_csv(actions: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """CSV text (header first) in chunks, one per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for position, action in enumerate(actions, start=1):
        writer.writerow(action_row(action, position))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
