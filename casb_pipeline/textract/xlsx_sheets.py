"""XLSX: cell values of every worksheet (``sheet:<name>``), a tab-separated line per row.

Read-only (streaming) mode; formula cells give the value the file last saved for them.
The used range a file declares is ignored: in read-only mode openpyxl would otherwise
skip every row and column past it, and a writer (or an attacker) may declare it wrong.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import openpyxl

from casb_pipeline.textract.collect import Sink
from casb_pipeline.textract.signals import reading


def read_xlsx(data: bytes, sink: Sink) -> None:
    with reading("corrupt XLSX"):
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                sheet.reset_dimensions()
                rows = sheet.iter_rows(values_only=True)
                sink.add_lines(f"sheet:{sheet.title}", _row_lines(rows))
        finally:
            workbook.close()


def _row_lines(rows: Iterator[tuple[Any, ...]]) -> Iterator[str]:
    for values in rows:
        cells = ["" if value is None else str(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            yield "\t".join(cells)
