"""Export files: owner-only, replaced whole, and clear errors when the marts are missing."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from casb_pipeline.reporting import EXPORT_FILES, WarehouseNotReady, write_exports
from tests.reporting.conftest import GENERATED_AT, Exported


def test_files_are_owner_only_and_nothing_else_is_left(exported: Exported) -> None:
    folder = exported.result.paths["report"].parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(EXPORT_FILES)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_new_build_replaces_every_file(exported: Exported, tmp_path: Path) -> None:
    before = exported.text("findings").count("\n")
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(exported.warehouse, rebuilt)
    with duckdb.connect(str(rebuilt)) as con:
        con.execute(
            "insert into findings by name "
            "select * replace ('fnd_new' as finding_id, 'jwt' as detector) "
            "from findings limit 1"
        )
    folder = exported.result.paths["report"].parent
    result = write_exports(rebuilt, folder)
    assert result.paths["findings"].read_text().count("\n") == before + 1
    assert "<code>jwt</code>" in result.paths["report"].read_text()
    assert sorted(p.name for p in folder.iterdir()) == sorted(EXPORT_FILES)


def test_no_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WarehouseNotReady, match=r"no warehouse at .*casb-pipeline run"):
        write_exports(tmp_path / "warehouse.duckdb", tmp_path / "exports")
    assert not (tmp_path / "exports").exists()


def test_a_warehouse_without_marts_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table stg_users (id varchar, email varchar)")
    with pytest.raises(WarehouseNotReady, match="has no table findings, posture_report"):
        write_exports(path, tmp_path / "exports", now=GENERATED_AT)
