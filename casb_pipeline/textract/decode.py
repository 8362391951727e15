"""Bytes to text in any common encoding, without ever failing on bad bytes."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab, newlines, form feed and escape: rare in any text.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_SAMPLE_SIZE = 64 * 1024
_MAX_CONTROL_SHARE = 0.01
_REPLACEMENT = "\ufffd"
_WESTERN = "cp1252"


@dataclass(frozen=True)
class Decoded:
    text: str = field(repr=False)  # raw content: never in a log
    encoding: str
    replaced: int = 0  # undecodable bytes shown as U+FFFD


def decode_with_bom(data: bytes) -> Decoded | None:
    """Text announced by a byte-order mark (UTF-8, UTF-16, UTF-32)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            return Decoded(text, codec, text.count(_REPLACEMENT))
    return None


def decode_utf8(data: bytes) -> Decoded | None:
    """UTF-8 text, also when a minority of its bytes are invalid (they become U+FFFD).

    Invalid bytes count as a minority when the text has more well-formed non-ASCII
    characters than bad bytes; otherwise another encoding is the better guess. The
    head is judged first, so that a large binary is not decoded whole for nothing.
    """
    try:
        return _textual(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    if not _mostly_valid(data[:_SAMPLE_SIZE].decode("utf-8", errors="replace")):
        return None
    text = data.decode("utf-8", errors="replace")
    if not _mostly_valid(text):
        return None
    return _textual(Decoded(text, "utf-8", text.count(_REPLACEMENT)))


def _mostly_valid(text: str) -> bool:
    replaced = text.count(_REPLACEMENT)
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - replaced >= replaced


def decode_guessed(data: bytes) -> Decoded | None:
    """Text in a legacy encoding (Latin-1, Windows-125x, Shift-JIS...), or None.

    When several encodings fit equally well, Windows-1252 wins where it is among them:
    it is what the web assumes for Western text, and a superset of Latin-1.
    """
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = (m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence))
    chosen = next((m for m in tied if m.encoding == _WESTERN), best)
    return _textual(Decoded(str(chosen), chosen.encoding))


def _textual(decoded: Decoded) -> Decoded | None:
    sample = decoded.text[:_SAMPLE_SIZE]
    controls = len(_CONTROLS.findall(sample))
    return decoded if controls <= _MAX_CONTROL_SHARE * len(sample) else None
