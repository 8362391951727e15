"""ZIP containers: the zip-bomb guard, OOXML recognition and archive members.

Declared sizes can be trusted as bounds: :mod:`zipfile` never yields more than a
member's declared size (a lying header ends in a CRC error), and the OOXML libraries
read through :mod:`zipfile` too. So the guard inspects the central directory before
anything is decompressed: ratio per member and overall, and the running total of
uncompressed bytes across nested archives. Nesting depth is checked per archive.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from casb_pipeline.textract.collect import Sink
from casb_pipeline.textract.limits import format_bytes
from casb_pipeline.textract.signals import GuardTripped, NotScannable, Quarantine, reading

# (bytes, filename, declared MIME type, sink): reads any file, archive members included.
ReadAny = Callable[[bytes, str | None, str | None, Sink], None]

_OOXML_MAIN_PARTS = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
)
_ENCRYPTED_FLAG = 0x1


@contextmanager
def open_zip(data: bytes, sink: Sink) -> Iterator[zipfile.ZipFile]:
    """Open an archive after checking its central directory against the guards."""
    with reading("corrupt or truncated ZIP (central directory unreadable)"):
        archive = zipfile.ZipFile(io.BytesIO(data))
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        _check_ratios(members, len(data), sink)
        sink.collector.reserve_zip_bytes(sum(info.file_size for info in members))
        yield archive


def ooxml_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in _OOXML_MAIN_PARTS if part in names), None)


def read_archive(archive: zipfile.ZipFile, sink: Sink, read_any: ReadAny) -> None:
    """Every member through ``read_any``; a bad member is recorded, the others go on."""
    levels = sink.depth + 1
    if levels > sink.limits.max_zip_depth:
        raise GuardTripped(f"zip bomb: archives nested more than {sink.limits.max_zip_depth} deep")
    collector = sink.collector
    parts_before = len(collector.parts)
    failures_before = len(collector.failures)
    skipped = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        member = sink.inside(info.filename)
        try:
            read_any(_member_bytes(archive, info, sink), info.filename, None, member)
        except GuardTripped:
            raise
        except Quarantine as problem:
            member.failed(None, problem.reason)
        except NotScannable as problem:
            member.note(None, f"not scanned: {problem.reason}")
            skipped += 1
    nothing_read = len(collector.parts) == parts_before
    if skipped and nothing_read and len(collector.failures) == failures_before:
        raise NotScannable(f"archive without text: {skipped} member(s), none with text to scan")


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sink: Sink) -> bytes:
    if info.flag_bits & _ENCRYPTED_FLAG:
        raise Quarantine("encrypted ZIP member (password-protected)")
    cap = sink.limits.max_bytes
    if info.file_size > cap:
        raise Quarantine(f"member too large: {format_bytes(info.file_size)} > {format_bytes(cap)}")
    with reading("corrupt ZIP member"):
        return archive.read(info)


def _check_ratios(members: list[zipfile.ZipInfo], archive_size: int, sink: Sink) -> None:
    limits = sink.limits
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.zip_ratio_min_bytes and ratio > limits.max_zip_ratio:
            where = sink.inside(info.filename).label(None)
            raise GuardTripped(f"zip bomb: {where} ratio {ratio:.0f} > {limits.max_zip_ratio:g}")
    total = sum(info.file_size for info in members)
    ratio = total / max(archive_size, 1)
    if total >= limits.zip_ratio_min_bytes and ratio > limits.max_zip_ratio:
        where = f"{sink.prefix} " if sink.prefix else ""
        raise GuardTripped(f"zip bomb: {where}overall ratio {ratio:.0f} > {limits.max_zip_ratio:g}")
