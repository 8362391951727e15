"""``scan_parquet``: a Parquet table of any size, scanned in bounded batches.

Row groups are streamed in small record batches that are gathered up to a
byte budget of text, scanned, and appended to the output file, so memory
follows the budget, not the file. The output appears atomically when done.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from casb_pipeline.dlp.engine import FINDING_SCHEMA, scan
from casb_pipeline.dlp.errors import DlpInputError
from casb_pipeline.dlp.levels import SEVERITIES
from casb_pipeline.dlp.policy import Policy

DEFAULT_BATCH_BYTES = 64 * 1024 * 1024
_READ_ROWS = 512


@dataclass
class ScanSummary:
    """What a scan covered and found."""

    rows: int = 0
    text_bytes: int = 0
    findings: int = 0
    allowlisted: int = 0
    by_severity: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    seconds: float = 0.0

    def add(self, findings: pl.DataFrame) -> None:
        self.findings += findings.height
        self.allowlisted += int(findings.get_column("allowlisted").sum())
        for severity, count in findings.get_column("severity").value_counts().iter_rows():
            self.by_severity[severity] += count


def _open(in_path: Path) -> pq.ParquetFile:
    if not in_path.is_file():
        raise DlpInputError(f"{in_path}: no such file; give a Parquet table of texts")
    try:
        return pq.ParquetFile(in_path)
    except (pa.ArrowException, OSError) as error:
        raise DlpInputError(
            f"{in_path}: not a readable Parquet file ({type(error).__name__})"
        ) from None


def _input_schema(parquet: pq.ParquetFile, in_path: Path, columns: Sequence[str]) -> pl.Schema:
    schema = pl.from_arrow(parquet.schema_arrow.empty_table()).schema
    for column in columns:
        if column not in schema:
            raise DlpInputError(
                f"{in_path}: column {column!r} not found; the table has: {', '.join(schema)}"
            )
    return schema


def _batches(
    parquet: pq.ParquetFile, columns: list[str], text_column: str, budget: int
) -> Iterator[tuple[pa.Table, int]]:
    """Tables of whole record batches holding about ``budget`` bytes of text."""
    pending: list[pa.RecordBatch] = []
    size = 0
    for batch in parquet.iter_batches(batch_size=_READ_ROWS, columns=columns):
        pending.append(batch)
        size += pc.sum(pc.binary_length(batch.column(text_column))).as_py() or 0
        if size >= budget:
            yield pa.Table.from_batches(pending), size
            pending, size = [], 0
    if pending:
        yield pa.Table.from_batches(pending), size


def scan_parquet(
    in_path: Path,
    out_path: Path,
    *,
    key: bytes,
    text_column: str = "text",
    id_column: str = "id",
    keep_columns: Sequence[str] = (),
    policy: Policy | None = None,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    today: date | None = None,
) -> ScanSummary:
    """Scan a Parquet table into a Parquet file of findings (columns as
    :func:`casb_pipeline.dlp.engine.scan` returns them)."""
    parquet = _open(in_path)
    columns = list(dict.fromkeys([id_column, text_column, *keep_columns]))
    schema = _input_schema(parquet, in_path, columns)
    if schema[text_column] != pl.String:
        raise DlpInputError(
            f"{in_path}: column {text_column!r} is {schema[text_column]}, not text; "
            "choose a string column with --text-column"
        )
    output = pl.DataFrame(
        schema={**FINDING_SCHEMA, **{column: schema[column] for column in keep_columns}}
    ).to_arrow()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(f".{out_path.name}.partial")
    summary = ScanSummary()
    started = time.perf_counter()
    try:
        with pq.ParquetWriter(partial, output.schema) as writer:
            for table, size in _batches(parquet, columns, text_column, batch_bytes):
                findings = scan(
                    pl.from_arrow(table),
                    key=key,
                    text_column=text_column,
                    id_column=id_column,
                    keep_columns=keep_columns,
                    policy=policy,
                    today=today,
                )
                summary.rows += table.num_rows
                summary.text_bytes += size
                summary.add(findings)
                if findings.height:
                    writer.write_table(findings.to_arrow().cast(output.schema))
            if summary.findings == 0:
                writer.write_table(output)
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
    summary.seconds = time.perf_counter() - started
    return summary
