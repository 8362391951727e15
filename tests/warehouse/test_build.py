"""Warehouse builds: models in reference order, empty lake, whole-file swap, and the
gate of blocking audits that keeps a bad build out."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from casb_pipeline.lake.files import write_parquet_atomic
from casb_pipeline.warehouse import (
    GateError,
    LakeSource,
    ModelError,
    build_warehouse,
    load_audits,
    load_models,
)

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


def _gated(tmp_path: Path) -> tuple[Path, Path]:
    """A lake file of things and an audit (blocking in spirit) of negative ones."""
    root = _models(
        tmp_path,
        {
            "staging/stg_things.sql": "select id, n from lake_things",
            "audits/no_negative_things.sql": "select id from stg_things where n < 0",
            "audits/things_have_ids.sql": "select n from stg_things where id is null",
        },
    )
    return root, tmp_path / "lake" / "things.parquet"


def test_a_passing_gate_swaps_the_build_in_and_reports_its_audits(tmp_path: Path) -> None:
    root, data = _gated(tmp_path)
    write_parquet_atomic(pa.table({"id": ["a"], "n": [1]}), data)
    target = tmp_path / "warehouse.duckdb"
    sources = {"things": LakeSource([data], SCHEMA)}
    result = build_warehouse(target, sources, load_models(root), gate=load_audits(root))
    assert [(run.audit.name, run.passed) for run in result.gate] == [
        ("no_negative_things", True),
        ("things_have_ids", True),
    ]
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select count(*) from stg_things").fetchone() == (1,)


def test_a_failing_gate_leaves_the_previous_file_byte_for_byte(tmp_path: Path) -> None:
    root, data = _gated(tmp_path)
    target = tmp_path / "warehouse.duckdb"
    sources = {"things": LakeSource([data], SCHEMA)}
    write_parquet_atomic(pa.table({"id": [None, "a"], "n": [1, 1]}), data)
    with pytest.raises(
        GateError, match=r"things_have_ids\.sql returned 1 bad row\): .* not written"
    ):
        build_warehouse(target, sources, load_models(root), gate=load_audits(root))
    assert not target.exists()
    write_parquet_atomic(pa.table({"id": ["a"], "n": [1]}), data)
    build_warehouse(target, sources, load_models(root), gate=load_audits(root))
    previous = target.read_bytes()

    secret = "value-that-must-not-leak"
    write_parquet_atomic(pa.table({"id": [secret, "b", "c"], "n": [-1, -2, 3]}), data)
    with pytest.raises(GateError) as raised:
        build_warehouse(target, sources, load_models(root), gate=load_audits(root))
    message = str(raised.value)
    assert "no_negative_things.sql returned 2 bad rows" in message
    assert "things_have_ids" not in message  # it passed
    assert str(target) in message and "was not replaced" in message
    assert secret not in message and secret not in repr(raised.value)
    assert {run.audit.name: len(run.rows) for run in raised.value.runs} == {
        "no_negative_things": 2,
        "things_have_ids": 0,
    }
    assert target.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    # without the gate the same lake builds
    build_warehouse(target, sources, load_models(root))
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select count(*) from stg_things").fetchone() == (3,)


def test_a_broken_gate_audit_names_its_file_and_keeps_the_old_warehouse(tmp_path: Path) -> None:
    target = tmp_path / "warehouse.duckdb"
    root = _models(
        tmp_path,
        {"staging/stg_v.sql": "select 1 as v", "audits/broken.sql": "select * from nowhere"},
    )
    build_warehouse(target, {}, load_models(root))
    previous = target.read_bytes()
    with pytest.raises(ModelError, match=r"SQL audit broken\.sql failed"):
        build_warehouse(target, {}, load_models(root), gate=load_audits(root))
    assert target.read_bytes() == previous
