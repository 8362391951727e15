"""What a file is, judged from its bytes alone.

The containers we read (PDF, ZIP and the OOXML formats inside it, OLE compound files)
are recognised by their signatures; then text in any common encoding; other binary
types are named by ``filetype`` so that coverage reports say what was not scanned.
"""

from __future__ import annotations

from dataclasses import dataclass

import filetype

from casb_pipeline.textract.decode import Decoded, decode_guessed, decode_utf8, decode_with_bom

_PDF_SIGNATURE = b"%PDF-"
_PDF_HEAD = 64  # whitespace may come before the header
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
# Stream names inside an OLE compound file (stored as UTF-16LE), first match wins.
_OLE_STREAMS = (
    ("EncryptedPackage", "encrypted_ooxml"),
    ("WordDocument", "doc"),
    ("Workbook", "xls"),
    ("PowerPoint Document", "ppt"),
)
_FILETYPE_HEAD = 8192
_FILETYPE_NAMES = {"jpg": "jpeg", "tif": "tiff"}


@dataclass(frozen=True)
class Sniffed:
    """``kind`` is pdf, zip, ole format (doc, xls, ppt, encrypted_ooxml, ole), text,
    empty, a binary type named by its usual extension (png, mp3...) or ``binary``."""

    kind: str
    decoded: Decoded | None = None
    mime: str | None = None


def sniff(data: bytes) -> Sniffed:
    if not data:
        return Sniffed("empty")
    if data[:_PDF_HEAD].lstrip(b" \t\r\n\x00").startswith(_PDF_SIGNATURE):
        return Sniffed("pdf")
    if data.startswith(_ZIP_SIGNATURES):
        return Sniffed("zip")
    if data.startswith(_OLE_SIGNATURE):
        return Sniffed(_ole_kind(data))
    decoded = decode_with_bom(data) or decode_utf8(data)
    if decoded is not None:
        return Sniffed("text", decoded)
    guessed = filetype.guess(data[:_FILETYPE_HEAD])
    if guessed is not None:
        return Sniffed(
            _FILETYPE_NAMES.get(guessed.extension, guessed.extension), None, guessed.mime
        )
    decoded = decode_guessed(data)
    return Sniffed("text", decoded) if decoded is not None else Sniffed("binary")


def _ole_kind(data: bytes) -> str:
    for stream, kind in _OLE_STREAMS:
        if stream.encode("utf-16-le") in data:
            return kind
    return "ole"
