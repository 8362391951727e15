"""Read-only access to the marts in warehouse.duckdb.

The warehouse is replaced whole by each build, so a read-only connection
reads one consistent build and never blocks the next one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from casb_pipeline.errors import CasbError

MARTS = ("findings", "posture_report", "user_risk", "action_list")
SEVERITIES = ("critical", "high", "medium", "low")
_BATCH = 2_000


class WarehouseNotReady(CasbError):
    """The warehouse file or one of the tables an export needs is missing."""


class MartReader:
    """Queries over one open read-only connection; rows come back as dicts."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self._con = con
        self.path = path
        self.tables = {
            name for (name,) in con.execute("select table_name from duckdb_tables()").fetchall()
        }

    def require(self, tables: Sequence[str]) -> None:
        missing = [t for t in tables if t not in self.tables]
        if missing:
            raise WarehouseNotReady(
                f"{self.path} has no table {', '.join(missing)}: build the marts first "
                "(casb-pipeline run)"
            )

    def columns(self, table: str) -> list[str]:
        rows = self._con.execute(
            "select column_name from duckdb_columns() where table_name = ? order by column_index",
            [table],
        ).fetchall()
        return [name for (name,) in rows]

    def records(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """Rows of ``sql`` as dicts, fetched in batches so large marts stream."""
        cursor = self._con.cursor()
        try:
            cursor.execute(sql, list(params))
            names = [column[0] for column in cursor.description]
            while batch := cursor.fetchmany(_BATCH):
                for row in batch:
                    yield dict(zip(names, row, strict=True))
        finally:
            cursor.close()

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._con.execute(sql, list(params)).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._con.execute(sql, list(params)).fetchone()
        return row[0] if row else None


@contextmanager
def open_marts(path: Path) -> Iterator[MartReader]:
    """A read-only reader of the warehouse at ``path``; clear error when there is none."""
    if not path.is_file():
        raise WarehouseNotReady(f"no warehouse at {path}: run casb-pipeline run first")
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        yield MartReader(con, path)
    finally:
        con.close()


def action_list_sql(marts: MartReader, columns: str = "*") -> str:
    """The action list in its own order (its rank when it has one); ``columns`` are ours."""
    if "rank" in marts.columns("action_list"):
        order = "rank, action_id"
    else:
        order = (
            "list_position(['critical', 'high', 'medium', 'low'], severity), due_date, action_id"
        )
    return f"select {columns} from action_list order by {order}"  # noqa: S608


def epoch_millis(value: datetime | date | None) -> int | None:
    """OCSF timestamps: milliseconds since the epoch; naive values are UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)
