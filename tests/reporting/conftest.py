"""Exports written from a real warehouse build of a fixture lake, into a temp data dir."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from casb_pipeline.reporting import ExportResult, write_exports
from tests.reporting.report_lake import build_report_warehouse

GENERATED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@dataclass
class Exported:
    warehouse: Path
    result: ExportResult

    def text(self, name: str) -> str:
        return self.result.paths[name].read_text(encoding="utf-8")

    def rows(self, sql: str) -> list[dict[str, Any]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            cursor = con.execute(sql)
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="session")
def report_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once; tests only read it."""
    return build_report_warehouse(tmp_path_factory.mktemp("report") / "data")


@pytest.fixture
def exported(report_warehouse: Path, tmp_path: Path) -> Exported:
    result = write_exports(report_warehouse, tmp_path / "exports", now=GENERATED_AT)
    return Exported(report_warehouse, result)
