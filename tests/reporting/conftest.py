"""Exports written from a fixture warehouse into a temp data dir."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from casb_pipeline.reporting import ExportResult, write_exports
from tests.reporting.fixture_warehouse import standard_warehouse

GENERATED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@dataclass
class Exported:
    warehouse: Path
    result: ExportResult

    def text(self, name: str) -> str:
        return self.result.paths[name].read_text(encoding="utf-8")


@pytest.fixture
def exported(tmp_path: Path) -> Exported:
    warehouse = standard_warehouse().write(tmp_path / "data" / "warehouse.duckdb")
    result = write_exports(warehouse, tmp_path / "data" / "exports", now=GENERATED_AT)
    return Exported(warehouse, result)
