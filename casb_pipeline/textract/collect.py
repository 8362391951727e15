"""Gathers the parts of one file under its guards: character cap, time cap, zip totals."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from casb_pipeline.textract.limits import ExtractLimits, format_bytes
from casb_pipeline.textract.result import Extraction, TextPart
from casb_pipeline.textract.signals import CharCapReached, GuardTripped

# Lines between two looks at the clock while joining a long table.
_LINES_PER_CLOCK_CHECK = 2048


class Collector:
    """State shared by every reader working on one file, nested archives included."""

    def __init__(self, limits: ExtractLimits) -> None:
        self.limits = limits
        self._deadline = time.monotonic() + limits.timeout_s
        self.parts: list[TextPart] = []
        self.chars = 0
        self.truncated = False
        self.zip_bytes = 0
        self.notes: list[str] = []
        self.failures: list[str] = []  # unreadable parts or members; the rest goes on
        self.detected_format = "binary"
        self.encoding: str | None = None

    def check_time(self) -> None:
        if time.monotonic() > self._deadline:
            raise GuardTripped(f"time cap {self.limits.timeout_s:g} s exceeded")

    def room(self) -> int:
        return self.limits.max_chars - self.chars

    def add(self, label: str | None, text: str) -> None:
        """Keep ``text`` under ``label``; past ``max_chars`` keep the head and stop."""
        self.check_time()
        if not text or text.isspace():
            return
        room = self.room()
        if len(text) > room:
            if room:
                self._keep(label, text[:room])
            self.truncated = True
            raise CharCapReached
        self._keep(label, text)

    def _keep(self, label: str | None, text: str) -> None:
        self.parts.append(TextPart(label, text))
        self.chars += len(text)

    def reserve_zip_bytes(self, size: int) -> None:
        """Count uncompressed archive bytes about to be read, across all nesting levels."""
        self.zip_bytes += size
        cap = self.limits.max_zip_total_bytes
        if self.zip_bytes > cap:
            raise GuardTripped(
                f"zip bomb: {format_bytes(self.zip_bytes)} uncompressed in total "
                f"> {format_bytes(cap)} cap"
            )

    def result(self, status: str, reason: str | None) -> Extraction:
        return Extraction(
            status=status,
            detected_format=self.detected_format,
            reason=reason,
            parts=tuple(self.parts),
            truncated=self.truncated,
            encoding=self.encoding,
            notes=tuple(self.notes),
        )


@dataclass(frozen=True)
class Sink:
    """Where one reader puts its parts: labels get the enclosing archive members' prefix."""

    collector: Collector
    prefix: str | None = None
    depth: int = 0  # archives opened around this point

    @property
    def limits(self) -> ExtractLimits:
        return self.collector.limits

    def identified(self, detected_format: str, encoding: str | None = None) -> None:
        """Record the format of the file itself (not of an archive member)."""
        if self.prefix is None:
            self.collector.detected_format = detected_format
            self.collector.encoding = encoding

    def label(self, local: str | None) -> str | None:
        if self.prefix is None or local is None:
            return self.prefix or local
        return f"{self.prefix}!{local}"

    def add(self, local: str | None, text: str) -> None:
        self.collector.add(self.label(local), text)

    def add_lines(self, local: str | None, lines: Iterable[str]) -> None:
        """Join ``lines`` with newlines, reading no further than the character cap allows."""
        room = self.collector.room()
        kept: list[str] = []
        size = 0
        for count, line in enumerate(lines, 1):
            kept.append(line)
            size += len(line) + 1
            if size > room:
                break
            if count % _LINES_PER_CLOCK_CHECK == 0:
                self.collector.check_time()
        self.add(local, "\n".join(kept))

    def note(self, local: str | None, what: str) -> None:
        self.collector.notes.append(self._located(local, what))

    def failed(self, local: str | None, reason: str) -> None:
        """One part or member could not be read; the file ends quarantined with this."""
        self.collector.failures.append(self._located(local, reason))

    def _located(self, local: str | None, what: str) -> str:
        label = self.label(local)
        return f"{label}: {what}" if label else what

    def inside(self, member: str) -> Sink:
        return Sink(self.collector, self.label(f"member:{member}"), self.depth + 1)
