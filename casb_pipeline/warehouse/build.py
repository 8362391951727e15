"""Build warehouse.duckdb from the lake into a new file, then swap it in whole.

Lake datasets appear to the models as temporary views ``lake_<dataset>``
(absolute paths never reach the saved file, so it opens from anywhere and
after the data dir moves). A dataset with no files yet is an empty relation
of its declared schema, so models never fail on a fresh lake. Each model
becomes a table; the finished file replaces the old one with one rename, so
a reader holding the old file keeps reading it undisturbed. The gate's audits run
on the new file first: when one returns rows, the new file is dropped and the
old one stays (``GateError``).
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from casb_pipeline.warehouse.audits import AuditRun, GateError, run_audits
from casb_pipeline.warehouse.models import Model, ModelError

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class LakeSource:
    """One lake dataset: its complete files and the schema it must expose."""

    files: Sequence[Path]
    schema: pa.Schema


@dataclass
class BuildResult:
    """The swapped-in file, its tables' row counts, and the gate's (passed) audit runs."""

    path: Path
    row_counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    gate: list[AuditRun] = field(default_factory=list)


def register_sources(con: duckdb.DuckDBPyConnection, sources: Mapping[str, LakeSource]) -> None:
    """Create ``lake_<name>`` temporary views with at least the declared columns."""
    for name, source in sources.items():
        _check_identifier(name)
        empty = f"_empty_{name}"
        con.register(empty, source.schema.empty_table())
        if source.files:
            files = ", ".join(_quote(str(p)) for p in source.files)
            con.execute(
                f"create temp view lake_{name} as select * from {empty} "
                f"union all by name "
                f"select * from read_parquet([{files}], union_by_name = true)"
            )
        else:
            con.execute(f"create temp view lake_{name} as select * from {empty}")


def run_models(con: duckdb.DuckDBPyConnection, models: Sequence[Model]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for model in models:
        _check_identifier(model.name)
        try:
            con.execute(f"create or replace table {model.name} as {model.sql}")
        except duckdb.Error as error:
            raise ModelError(f"SQL model {model.path.name} failed: {error}") from None
        counts[model.name] = con.execute(f"select count(*) from {model.name}").fetchone()[0]
    return counts


def build_warehouse(
    target: Path,
    sources: Mapping[str, LakeSource],
    models: Sequence[Model],
    gate: Sequence[Model] = (),
) -> BuildResult:
    """Build ``models`` into a fresh file and atomically replace ``target``, unless an
    audit of ``gate`` returns rows from the fresh file: then ``target`` is left as it
    was and ``GateError`` is raised."""
    started = time.monotonic()
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.stem}-{uuid.uuid4().hex}.building")
    try:
        con = duckdb.connect(str(building))
        try:
            register_sources(con, sources)
            counts = run_models(con, models)
            runs = run_audits(con, gate)
            if not all(run.passed for run in runs):
                raise GateError(target, runs)
            con.execute("checkpoint")
        finally:
            con.close()
        os.chmod(building, 0o600)
        os.replace(building, target)
    finally:
        building.unlink(missing_ok=True)
        Path(f"{building}.wal").unlink(missing_ok=True)
    return BuildResult(target, counts, time.monotonic() - started, runs)


def _check_identifier(name: str) -> None:
    if not _IDENTIFIER.match(name):
        raise ModelError(f"{name!r} is not a valid model or dataset name: use [a-z0-9_]")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
