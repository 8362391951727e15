"""PDF: the text of each page (``page:N``) and of filled-in form fields (``form``)."""

from __future__ import annotations

import io

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
        parts_before = len(sink.collector.parts)
        for number, page in enumerate(reader.pages, 1):
            sink.add(f"page:{number}", page.extract_text())
        fields = reader.get_form_text_fields() or {}
        sink.add("form", "\n".join(f"{name}: {value}" for name, value in fields.items() if value))
        found_text = len(sink.collector.parts) > parts_before
    if cut_short:
        raise Quarantine(f"{problem}: text of the readable pages kept")
    if not found_text and len(reader.pages):
        raise NotScannable("PDF without a text layer (scanned images; no OCR is done)")


def _unlock(reader: PdfReader) -> None:
    """Open a PDF encrypted with an empty user password (restrictions only)."""
    if not reader.is_encrypted:
        return
    with reading("encrypted PDF, cannot decrypt"):
        opened = reader.decrypt("")
    if opened == PasswordType.NOT_DECRYPTED:
        raise Quarantine("encrypted PDF: a password is needed to open it")
