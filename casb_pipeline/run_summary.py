"""The end-of-run summary: what the warehouse now holds and where things are."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from casb_pipeline.actions.catalog import execution_of
from casb_pipeline.config import DataPaths
from casb_pipeline.reporting import EXPORT_FILES, REPORT_FILE
from casb_pipeline.reporting.marts import SEVERITIES, MartReader, open_marts

_STREAM_TABLES = (
    "stg_organizations",
    "stg_users",
    "stg_activities",
    "stg_chats",
    "stg_chat_messages",
    "stg_chat_files",
    "stg_generated_files",
    "stg_artifacts",
    "stg_projects",
    "stg_project_attachments",
    "stg_project_collaborators",
    "stg_quarantine",
)
_EXECUTION_LABELS = {
    "api": "API deletes",
    "gateway_policy": "Gateway policies",
    "manual": "manual",
    "unsupported": "unsupported",
}


def summary_lines(paths: DataPaths) -> list[str]:
    if not paths.warehouse.exists():
        return [f"No warehouse yet at {paths.warehouse}."]
    with open_marts(paths.warehouse) as marts:
        lines = _records(marts) + _findings(marts) + _actions(marts)
    lines.append(f"Warehouse: {paths.warehouse}")
    return lines + _exports(paths.exports)


def _records(marts: MartReader) -> list[str]:
    lines = ["Records per stream:"]
    for table in _STREAM_TABLES:
        if table in marts.tables:
            count = marts.scalar(f"select count(*) from {table}")  # noqa: S608
            lines.append(f"  {table.removeprefix('stg_'):<22} {count:>9,}")
    return lines


def _findings(marts: MartReader) -> list[str]:
    if "findings" not in marts.tables:
        return []
    by_status = dict(marts.tuples("select status, count(*) from findings group by 1"))
    open_by_severity = dict(
        marts.tuples("select severity, count(*) from findings where status = 'open' group by 1")
    )
    statuses = ", ".join(f"{by_status.get(s, 0):,} {s}" for s in ("open", "resolved", "ignored"))
    lines = [f"Findings: {statuses}", "Open findings by severity:"]
    lines += [f"  {s:<22} {open_by_severity.get(s, 0):>9,}" for s in SEVERITIES]
    return lines


def _actions(marts: MartReader) -> list[str]:
    if "action_list" not in marts.tables:
        return []
    kinds: Counter[str] = Counter()
    for action_type, count in marts.tuples(
        "select action_type, count(*) from action_list group by 1"
    ):
        kinds[execution_of(str(action_type))] += count
    total = sum(kinds.values())
    detail = ", ".join(f"{n:,} {_EXECUTION_LABELS[k]}" for k, n in sorted(kinds.items()))
    return [f"Proposed actions: {total:,}" + (f" ({detail})" if detail else "")]


def _exports(folder: Path) -> list[str]:
    present = [folder / name for name in EXPORT_FILES if (folder / name).is_file()]
    if not present:
        return []
    lines = [f"Report: {folder / REPORT_FILE}"] if (folder / REPORT_FILE).is_file() else []
    return lines + [f"Exports: {folder}"] + [f"  {path}" for path in present]


def print_summary(paths: DataPaths) -> None:
    for line in summary_lines(paths):
        print(line, file=sys.stdout)
