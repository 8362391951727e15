"""DOCX: ``body`` paragraphs, each body table (``table:N``), ``header``, ``footer``
(every section, first-page and even-page variants included) and ``comments``."""

from __future__ import annotations

import io

import docx
from docx.document import Document
from docx.section import _Footer, _Header
from docx.table import Table, _Cell

from casb_pipeline.textract.collect import Sink
from casb_pipeline.textract.signals import reading


def read_docx(data: bytes, sink: Sink) -> None:
    with reading("corrupt DOCX"):
        document = docx.Document(io.BytesIO(data))
        paragraphs: list[str] = []
        tables: list[Table] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                tables.append(block)
            else:
                paragraphs.append(block.text)
        sink.add("body", "\n".join(paragraphs))
        for number, table in enumerate(tables, 1):
            sink.add(f"table:{number}", _table_text(table))
        sink.add("header", _section_text(document, "header"))
        sink.add("footer", _section_text(document, "footer"))
        sink.add("comments", "\n".join(comment.text for comment in document.comments))


def _section_text(document: Document, kind: str) -> str:
    """Headers or footers of every section (default, first-page, even-page variants)."""
    texts = []
    for section in document.sections:
        for attribute in (kind, f"first_page_{kind}", f"even_page_{kind}"):
            part: _Header | _Footer = getattr(section, attribute)
            if not part.is_linked_to_previous:
                texts.append(_blocks_text(part))
    return "\n".join(texts)


def _blocks_text(container: _Header | _Footer | _Cell) -> str:
    """Paragraphs and (nested) tables of a container, in order."""
    return "\n".join(
        _table_text(block) if isinstance(block, Table) else block.text
        for block in container.iter_inner_content()
    )


def _table_text(table: Table) -> str:
    """A line per row, cells separated by tabs; a merged cell is given once per row."""
    lines = []
    for row in table.rows:
        cells: list[_Cell] = []
        for cell in row.cells:
            if not cells or cell is not cells[-1]:
                cells.append(cell)
        lines.append("\t".join(_blocks_text(cell) for cell in cells))
    return "\n".join(lines)
