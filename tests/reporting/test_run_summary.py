"""The end-of-run summary: severities, actions, and where the report and exports are."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from casb_pipeline.config import DataPaths
from casb_pipeline.reporting import write_exports
from casb_pipeline.run_summary import summary_lines


def test_summary_counts_severities_actions_and_names_the_files(
    report_warehouse: Path, tmp_path: Path
) -> None:
    paths = DataPaths(tmp_path / "data")
    paths.root.mkdir()
    shutil.copyfile(report_warehouse, paths.warehouse)
    result = write_exports(paths.warehouse, paths.exports)
    lines = summary_lines(paths)
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        open_by_severity = dict(
            con.execute(
                "select severity, count(*) from findings where status = 'open' group by 1"
            ).fetchall()
        )
        (actions,) = con.execute("select count(*) from action_list").fetchone()
    for severity in ("critical", "high", "medium", "low"):
        (line,) = [
            x for x in lines if x.split() == [severity, str(open_by_severity.get(severity, 0))]
        ]
        assert line.startswith("  ")
    assert f"Proposed actions: {actions}" in "\n".join(lines)
    assert f"Report: {result.paths['report']}" in lines
    for path in result.paths.values():
        assert f"  {path}" in lines
    assert f"Warehouse: {paths.warehouse}" in lines


def test_summary_without_exports_or_marts(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    assert summary_lines(paths) == [f"No warehouse yet at {paths.warehouse}."]
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create table stg_users as select 'u' as id")
    lines = summary_lines(paths)
    assert lines[:2] == ["Records per stream:", "  users                          1"]
    assert not [x for x in lines if x.startswith(("Report", "Exports", "Findings", "Proposed"))]
