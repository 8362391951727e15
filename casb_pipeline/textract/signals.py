"""How format readers say that a file cannot be read, or that extraction must stop.

Reasons name formats, locations and library error types, never content: a library
message is kept only after quoted literals and long digit runs are masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager


class Quarantine(Exception):
    """This file (or archive member) is corrupt, encrypted or cut short."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class GuardTripped(Quarantine):
    """A guard of the whole file (time cap, zip bomb): stop everything."""


class NotScannable(Exception):
    """A type without text to scan (image, audio, unknown binary)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CharCapReached(Exception):
    """``max_chars`` is reached: what was collected so far is the result."""


_SIGNALS = (Quarantine, NotScannable, CharCapReached)
_QUOTED = re.compile(r"""b?'[^']*'|b?"[^"]*\"""")
_LONG_NUMBER = re.compile(r"\d{6,}")
_MAX_DETAIL = 160


def describe_error(error: BaseException) -> str:
    """``Type: message`` with quoted literals and long numbers masked, bounded."""
    args = error.args
    message = " ".join(args) if args and all(isinstance(a, str) for a in args) else str(error)
    detail = _QUOTED.sub(_mask_literal, message)
    detail = _LONG_NUMBER.sub("#", " ".join(detail.split()))
    if len(detail) > _MAX_DETAIL:
        detail = detail[: _MAX_DETAIL - 1] + "…"
    name = type(error).__name__
    return f"{name}: {detail}" if detail else name


def _mask_literal(match: re.Match[str]) -> str:
    literal = match.group(0)
    looks_like_content = any(char.isdigit() or char == "@" for char in literal)
    return "'…'" if looks_like_content or len(literal) > 40 else literal


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Turn a library's exception into a quarantine reason ``what: Type: detail``."""
    try:
        yield
    except _SIGNALS:
        raise
    except Exception as error:
        raise Quarantine(f"{what}: {describe_error(error)}") from error
