"""Warehouse builds: models in reference order, empty lake, whole-file swap."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from casb_pipeline.lake.files import write_parquet_atomic
from casb_pipeline.warehouse import LakeSource, ModelError, build_warehouse, load_models

SCHEMA = pa.schema([("id", pa.string()), ("n", pa.int64())])


def _models(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "sql"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_models_run_in_reference_order_over_lake_views(tmp_path: Path) -> None:
    root = _models(
        tmp_path,
        {
            "marts/a_total.sql": "select sum(n) as total from stg_things",
            "staging/stg_things.sql": "select id, n from lake_things where n > 0",
        },
    )
    data = tmp_path / "lake" / "things.parquet"
    write_parquet_atomic(pa.table({"id": ["a", "b"], "n": [1, -1]}), data)
    target = tmp_path / "warehouse.duckdb"
    result = build_warehouse(target, {"things": LakeSource([data], SCHEMA)}, load_models(root))
    assert result.row_counts == {"stg_things": 1, "a_total": 1}
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select total from a_total").fetchone() == (1,)


def test_empty_lake_gives_empty_typed_tables(tmp_path: Path) -> None:
    root = _models(tmp_path, {"staging/stg_things.sql": "select id, n from lake_things"})
    target = tmp_path / "warehouse.duckdb"
    build_warehouse(target, {"things": LakeSource([], SCHEMA)}, load_models(root))
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select count(*) from stg_things").fetchone() == (0,)
        types = dict(con.execute("describe stg_things").fetchall()[i][:2] for i in range(2))
        assert types == {"id": "VARCHAR", "n": "BIGINT"}


def test_failed_model_names_its_file_and_keeps_old_warehouse(tmp_path: Path) -> None:
    target = tmp_path / "warehouse.duckdb"
    good = _models(tmp_path, {"staging/stg_things.sql": "select 1 as one"})
    build_warehouse(target, {}, load_models(good))
    bad = _models(tmp_path / "bad", {"staging/stg_broken.sql": "select * from nowhere"})
    with pytest.raises(ModelError, match=r"stg_broken\.sql"):
        build_warehouse(target, {}, load_models(bad))
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select one from stg_things").fetchone() == (1,)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_reader_keeps_its_snapshot_while_a_build_swaps(tmp_path: Path) -> None:
    target = tmp_path / "warehouse.duckdb"
    root = _models(tmp_path, {"staging/stg_v.sql": "select 1 as v"})
    build_warehouse(target, {}, load_models(root))
    reader = duckdb.connect(str(target), read_only=True)
    (root / "staging" / "stg_v.sql").write_text("select 2 as v")
    build_warehouse(target, {}, load_models(root))
    assert reader.execute("select v from stg_v").fetchone() == (1,)
    reader.close()
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select v from stg_v").fetchone() == (2,)


def test_warehouse_opens_after_the_data_dir_moves(tmp_path: Path) -> None:
    data = tmp_path / "before" / "lake" / "things.parquet"
    write_parquet_atomic(pa.table({"id": ["a"], "n": [3]}), data)
    root = _models(tmp_path, {"staging/stg_things.sql": "select * from lake_things"})
    target = tmp_path / "before" / "warehouse.duckdb"
    build_warehouse(target, {"things": LakeSource([data], SCHEMA)}, load_models(root))
    (tmp_path / "before").rename(tmp_path / "after")
    with duckdb.connect(str(tmp_path / "after" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select n from stg_things").fetchone() == (3,)
