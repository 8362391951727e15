"""Text of one file, whatever its format: detection, dispatch and the outcome."""

from __future__ import annotations

from pathlib import Path

from casb_pipeline.textract.collect import Collector, Sink
from casb_pipeline.textract.docx_parts import read_docx
from casb_pipeline.textract.limits import ENV_VARS, ExtractLimits, format_bytes
from casb_pipeline.textract.pdf_pages import read_pdf
from casb_pipeline.textract.pptx_slides import read_pptx
from casb_pipeline.textract.result import NOT_SCANNED, QUARANTINED, SCANNED, Extraction
from casb_pipeline.textract.signals import CharCapReached, NotScannable, Quarantine
from casb_pipeline.textract.sniff import sniff
from casb_pipeline.textract.textlike import read_textlike
from casb_pipeline.textract.xlsx_sheets import read_xlsx
from casb_pipeline.textract.zip_members import ooxml_kind, open_zip, read_archive

_OOXML_READERS = {"docx": read_docx, "xlsx": read_xlsx, "pptx": read_pptx}
_OLE_REASONS = {
    "encrypted_ooxml": "encrypted Office document (password-protected DOCX, XLSX or PPTX)",
    "doc": "legacy Word (.doc) binary format is not read; only DOCX is",
    "xls": "legacy Excel (.xls) binary format is not read; only XLSX is",
    "ppt": "legacy PowerPoint (.ppt) binary format is not read; only PPTX is",
    "ole": "OLE compound file of unknown type",
}
# Bytes looked at to name the format of a file that is not read whole.
_HEAD_BYTES = 8192
_MAX_FAILURES_IN_REASON = 3


def extract_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    declared_mime: str | None = None,
    limits: ExtractLimits = ExtractLimits(),  # noqa: B008 - frozen, shared safely
) -> Extraction:
    """Located text of ``data``; never raises for bad input.

    ``filename`` and ``declared_mime`` only break ties between text formats. The time
    cap is checked between pages, sheets, slides, members and long runs of rows;
    :func:`casb_pipeline.textract.pool.extract_many` also stops a reader stuck inside
    one library call.
    """
    if len(data) > limits.max_bytes:
        return _too_large(len(data), data[:_HEAD_BYTES], limits)
    collector = Collector(limits)
    try:
        read_any(data, filename, declared_mime, Sink(collector))
    except CharCapReached:
        pass
    except Quarantine as problem:
        return collector.result(QUARANTINED, problem.reason)
    except NotScannable as problem:
        return collector.result(NOT_SCANNED, problem.reason)
    failures = collector.failures
    if failures:
        return collector.result(QUARANTINED, _summarise(failures))
    return collector.result(SCANNED, None)


def extract_file(
    path: Path,
    *,
    filename: str | None = None,
    declared_mime: str | None = None,
    limits: ExtractLimits = ExtractLimits(),  # noqa: B008 - frozen, shared safely
) -> Extraction:
    """As :func:`extract_bytes`; a file past ``max_bytes`` is never read whole."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            if size > limits.max_bytes:
                return _too_large(size, handle.read(_HEAD_BYTES), limits)
            data = handle.read()
    except OSError as error:
        return Extraction(
            QUARANTINED, "unknown", f"unreadable file: {error.strerror}", (), False, None
        )
    return extract_bytes(data, filename=filename, declared_mime=declared_mime, limits=limits)


def head_format(path: Path) -> str:
    """The format judged from the first bytes only (for files that were not read whole)."""
    try:
        with path.open("rb") as handle:
            return sniff(handle.read(_HEAD_BYTES)).kind
    except OSError:
        return "unknown"


def read_any(data: bytes, filename: str | None, mime: str | None, sink: Sink) -> None:
    """Detect the format of ``data`` and hand it to its reader (archive members too)."""
    sink.collector.check_time()
    sniffed = sniff(data)
    if sniffed.decoded is not None:
        read_textlike(sniffed.decoded, filename, mime, sink)
        return
    kind = sniffed.kind
    sink.identified(kind)
    if kind == "pdf":
        read_pdf(data, sink)
    elif kind == "zip":
        _read_zip(data, sink)
    elif kind == "encrypted_ooxml":
        raise Quarantine(_OLE_REASONS[kind])
    elif kind in _OLE_REASONS:
        raise NotScannable(_OLE_REASONS[kind])
    elif kind == "binary":
        raise NotScannable("unrecognised binary data: no text to extract")
    elif kind != "empty":
        raise NotScannable(f"{kind} ({sniffed.mime}): no text extraction for this type")


def _read_zip(data: bytes, sink: Sink) -> None:
    with open_zip(data, sink) as archive:
        kind = ooxml_kind(archive)
        if kind is None:
            read_archive(archive, sink, read_any)
            return
        sink.identified(kind)
    _OOXML_READERS[kind](data, sink)


def _too_large(size: int, head: bytes, limits: ExtractLimits) -> Extraction:
    reason = (
        f"file too large: {format_bytes(size)} > {format_bytes(limits.max_bytes)} cap "
        f"({ENV_VARS['max_bytes']})"
    )
    return Extraction(QUARANTINED, sniff(head).kind, reason, (), False, None)


def _summarise(failures: list[str]) -> str:
    shown = "; ".join(failures[:_MAX_FAILURES_IN_REASON])
    more = len(failures) - _MAX_FAILURES_IN_REASON
    return f"{shown}; and {more} more" if more > 0 else shown
