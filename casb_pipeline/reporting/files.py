"""Export files written whole or not at all: a temporary beside the target, then one rename."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from casb_pipeline.lake.files import atomic_write


def write_text_atomic(final: Path, chunks: Iterable[str]) -> Path:
    """Write ``chunks`` (UTF-8) to ``final`` atomically, mode 0600 under a 0700 folder.

    A reader (or a crash at any point) sees the previous file or the complete
    new one, never a half-written export.
    """
    with atomic_write(final, text=True) as handle:
        for chunk in chunks:
            handle.write(chunk)
    return final
