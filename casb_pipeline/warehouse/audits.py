"""SQL audits run on a warehouse connection: each returns its bad rows (none when it
passes). A build runs its blocking audits, its gate, on the new file before the swap:
a gate audit with bad rows keeps the new file out (``GateError``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from casb_pipeline.errors import CasbError
from casb_pipeline.warehouse.models import Model, ModelError


@dataclass(frozen=True)
class AuditRun:
    """The rows one audit returned."""

    audit: Model
    rows: list[dict[str, Any]]

    @property
    def passed(self) -> bool:
        return not self.rows


class GateError(CasbError):
    """Blocking audits found bad rows in a new build, which was therefore not swapped in.

    The message names each failing audit file and its number of bad rows, never a
    row; ``runs`` holds every gate audit's rows for whoever reports them.
    """

    def __init__(self, target: Path, runs: Sequence[AuditRun]) -> None:
        self.runs = tuple(runs)
        failed = ", ".join(
            f"{run.audit.path.name} returned {len(run.rows)} bad "
            + ("row" if len(run.rows) == 1 else "rows")
            for run in self.runs
            if not run.passed
        )
        kept = (
            f"{target} was not replaced and still holds the previous build"
            if target.exists()
            else f"{target} was not written"
        )
        super().__init__(
            f"blocking audit failed on the new warehouse build ({failed}): {kept}; "
            "fix what the audit reports and build again"
        )


def records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    """The rows of ``sql`` as dicts keyed by column name."""
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def run_audits(con: duckdb.DuckDBPyConnection, audits: Sequence[Model]) -> list[AuditRun]:
    """Each audit's bad rows; an audit whose SQL fails is a ``ModelError`` naming it."""
    runs = []
    for audit in audits:
        try:
            runs.append(AuditRun(audit, records(con, audit.sql)))
        except duckdb.Error as error:
            raise ModelError(f"SQL audit {audit.path.name} failed: {error}") from None
    return runs
