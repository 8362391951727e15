"""Build warehouse.duckdb from the lake into a new file, then swap it in whole.

Lake datasets appear to the models as temporary views ``lake_<dataset>``
(absolute paths never reach the saved file, so it opens from anywhere and
after the data dir moves). A dataset with no files yet is an empty relation
of its declared schema, so models never fail on a fresh lake. Each model
becomes a table; the finished file replaces the old one with one rename, so
a reader holding the old file keeps reading it undisturbed.
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

from casb_pipeline.errors import CasbError
from casb_pipeline.warehouse.models import Model

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class ModelError(CasbError):
    """A SQL model failed; names the model file."""


@dataclass(frozen=True)
class LakeSource:
    """One lake dataset: its complete files and the schema it must expose."""

    files: Sequence[Path]
    schema: pa.Schema


@dataclass
class BuildResult:
    path: Path
    row_counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


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
) -> BuildResult:
    """Build ``models`` into a fresh file and atomically replace ``target``."""
    started = time.monotonic()
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.stem}-{uuid.uuid4().hex}.building")
    try:
        con = duckdb.connect(str(building))
        try:
            register_sources(con, sources)
            counts = run_models(con, models)
            con.execute("checkpoint")
        finally:
            con.close()
        os.chmod(building, 0o600)
        os.replace(building, target)
    finally:
        building.unlink(missing_ok=True)
        Path(f"{building}.wal").unlink(missing_ok=True)
    return BuildResult(target, counts, time.monotonic() - started)


def _check_identifier(name: str) -> None:
    if not _IDENTIFIER.match(name):
        raise ModelError(f"{name!r} is not a valid model or dataset name: use [a-z0-9_]")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
