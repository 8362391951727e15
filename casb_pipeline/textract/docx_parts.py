"""DOCX: ``body`` paragraphs, each body table (``table:N``), ``header``, ``footer``
(every section, first-page and even-page variants included) and ``comments``.

python-docx opens the document and gives tables their merged-cell layout. Its own
paragraph and block iteration leave out text that a reader of the document sees, so
blocks and paragraph text are gathered from its element tree here, also inside
content controls (``w:sdt``), tracked insertions and deletions (``w:ins``,
``w:del``), smart tags, simple fields and text boxes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.table import Table, _Cell
from lxml.etree import _Element

from casb_pipeline.textract.collect import Sink
from casb_pipeline.textract.signals import reading

# Run-level content of a paragraph, in document order.
_RUNS = (
    "w:r | w:hyperlink | w:ins/w:r | w:del/w:r | w:sdt/w:sdtContent/w:r"
    " | w:smartTag/w:r | w:fldSimple/w:r"
)
# Paragraphs of text boxes anchored in a paragraph; the fallback copy (for old Word
# versions) of the same box is skipped.
_TEXT_BOXES = ".//w:txbxContent[not(ancestor::*[local-name()='Fallback'])]/w:p"


def read_docx(data: bytes, sink: Sink) -> None:
    with reading("corrupt DOCX"):
        document = docx.Document(io.BytesIO(data))
        paragraphs: list[str] = []
        tables: list[Table] = []
        for block in _blocks(document.element.body, document):
            if isinstance(block, Table):
                tables.append(block)
            else:
                paragraphs.append(_paragraph_text(block))
        sink.add("body", "\n".join(paragraphs))
        for number, table in enumerate(tables, 1):
            sink.add(f"table:{number}", _table_text(table))
        sink.add("header", _section_text(document, "header"))
        sink.add("footer", _section_text(document, "footer"))
        sink.add("comments", "\n".join(_container_text(c._element, c) for c in document.comments))


def _blocks(container: _Element, parent: object) -> Iterator[CT_P | Table]:
    """Paragraphs and tables of a container in order, content controls opened."""
    for child in container.iterchildren():
        if isinstance(child, CT_P):
            yield child
        elif isinstance(child, CT_Tbl):
            yield Table(child, parent)  # type: ignore[arg-type]
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content, parent)


def _paragraph_text(paragraph: CT_P) -> str:
    pieces = []
    for element in paragraph.xpath(_RUNS):
        pieces.append(element.text)
        if isinstance(element, CT_R):
            pieces.extend(element.xpath("w:delText/text()"))
    boxes = [_paragraph_text(inner) for inner in paragraph.xpath(_TEXT_BOXES)]
    return "\n".join(["".join(pieces), *boxes])


def _container_text(element: _Element, parent: object) -> str:
    return "\n".join(
        _table_text(block) if isinstance(block, Table) else _paragraph_text(block)
        for block in _blocks(element, parent)
    )


def _section_text(document: Document, kind: str) -> str:
    """Headers or footers of every section (default, first-page, even-page variants)."""
    texts = []
    for section in document.sections:
        for attribute in (kind, f"first_page_{kind}", f"even_page_{kind}"):
            part = getattr(section, attribute)
            if not part.is_linked_to_previous:
                texts.append(_container_text(part._element, part))
    return "\n".join(texts)


def _table_text(table: Table) -> str:
    """A line per row, cells separated by tabs; a merged cell is given once per row."""
    lines = []
    for row in table.rows:
        cells: list[_Cell] = []
        for cell in row.cells:
            if not cells or cell is not cells[-1]:
                cells.append(cell)
        lines.append("\t".join(_container_text(cell._tc, cell) for cell in cells))
    return "\n".join(lines)
