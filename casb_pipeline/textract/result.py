"""What an extraction returns: located texts plus an outcome that is safe to show."""

from __future__ import annotations

from dataclasses import dataclass

SCANNED = "scanned"
NOT_SCANNED = "not_scanned"
QUARANTINED = "quarantined"


@dataclass(frozen=True, repr=False)
class TextPart:
    """Text of one location in a file.

    ``part`` is the location label (``page:2``, ``sheet:Q3``, ``slide:4:notes``,
    ``member:a.zip!member:b.pdf!page:1``...) or None for a plain text-like file. The
    repr shows the length only: the text is raw content and must not reach a log.
    """

    part: str | None
    text: str

    def __repr__(self) -> str:
        return f"TextPart(part={self.part!r}, text=<{len(self.text)} chars>)"


@dataclass(frozen=True)
class Extraction:
    """The outcome for one file.

    ``status`` is ``scanned``, ``not_scanned`` (a type without text: images, audio,
    unknown binary) or ``quarantined`` (corrupt, encrypted, cut short, past a guard).
    ``parts`` holds whatever text was obtained, whatever the status: a quarantined
    archive keeps the text of its readable members. ``notes`` lists what was skipped or
    repaired on the way (members not scanned, invalid bytes replaced); like ``reason``
    it names locations and formats, never content.
    """

    status: str
    detected_format: str
    reason: str | None
    parts: tuple[TextPart, ...]
    truncated: bool
    encoding: str | None
    notes: tuple[str, ...] = ()

    @property
    def char_count(self) -> int:
        return sum(len(part.text) for part in self.parts)
