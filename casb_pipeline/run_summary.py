"""The end-of-run summary: what the warehouse now holds and where things are."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from casb_pipeline.config import DataPaths

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


def summary_lines(paths: DataPaths) -> list[str]:
    if not paths.warehouse.exists():
        return [f"No warehouse yet at {paths.warehouse}."]
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        tables = {
            name for (name,) in con.execute("select table_name from duckdb_tables()").fetchall()
        }
        lines = ["Records per stream:"]
        for table in _STREAM_TABLES:
            if table in tables:
                (count,) = con.execute(f"select count(*) from {table}").fetchone()  # noqa: S608
                lines.append(f"  {table.removeprefix('stg_'):<22} {count:>9,}")
        if "findings" in tables:
            lines.append("Open findings by severity:")
            rows = con.execute(
                "select severity, count(*) from findings where status = 'open' "
                "group by severity order by list_position("
                "['critical', 'high', 'medium', 'low'], severity)"
            ).fetchall()
            lines += [f"  {severity:<22} {count:>9,}" for severity, count in rows] or ["  none"]
        if "action_list" in tables:
            (actions,) = con.execute("select count(*) from action_list").fetchone()
            lines.append(f"Proposed actions: {actions:,}")
    lines.append(f"Warehouse: {paths.warehouse}")
    lines += _existing(paths.exports, "Exports")
    return lines


def _existing(folder: Path, label: str) -> list[str]:
    if not folder.is_dir():
        return []
    return [f"{label}: {folder}"] + [f"  {p}" for p in sorted(folder.iterdir()) if p.is_file()]


def print_summary(paths: DataPaths) -> None:
    for line in summary_lines(paths):
        print(line, file=sys.stdout)
