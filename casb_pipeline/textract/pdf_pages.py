"""PDF: the text of each page (``page:N``) and of filled-in form fields (``form``).

A page or form that cannot be read is recorded and the others are still read.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PasswordType, PdfReader

from casb_pipeline.textract.collect import Sink
from casb_pipeline.textract.signals import NotScannable, Quarantine, reading

_EOF_MARKER = b"%%EOF"
_EOF_WINDOW = 2048  # writers may leave some bytes after the marker


def read_pdf(data: bytes, sink: Sink) -> None:
    cut_short = _EOF_MARKER not in data[-_EOF_WINDOW:]
    problem = "truncated PDF (no %%EOF marker)" if cut_short else "corrupt PDF"
    with reading(problem):
        reader = PdfReader(io.BytesIO(data))
        _unlock(reader)
        pages = list(reader.pages)
    parts_before = len(sink.collector.parts)
    for number, page in enumerate(pages, 1):
        _read_part(sink, f"page:{number}", lambda page=page: page.extract_text())
    _read_part(sink, "form", lambda: _form_text(reader))
    if cut_short:
        raise Quarantine(f"{problem}: text of the readable pages kept")
    if pages and len(sink.collector.parts) == parts_before and not sink.collector.failures:
        raise NotScannable("PDF without a text layer (scanned images; no OCR is done)")


def _read_part(sink: Sink, label: str, read: Callable[[], str]) -> None:
    try:
        with reading("unreadable"):
            text = read()
    except Quarantine as problem:
        sink.failed(label, problem.reason)
    else:
        sink.add(label, text)


def _form_text(reader: PdfReader) -> str:
    fields = reader.get_form_text_fields() or {}
    return "\n".join(f"{name}: {value}" for name, value in fields.items() if value)


def _unlock(reader: PdfReader) -> None:
    """Open a PDF encrypted with an empty user password (restrictions only)."""
    if not reader.is_encrypted:
        return
    with reading("encrypted PDF, cannot decrypt"):
        opened = reader.decrypt("")
    if opened == PasswordType.NOT_DECRYPTED:
        raise Quarantine("encrypted PDF: a password is needed to open it")
