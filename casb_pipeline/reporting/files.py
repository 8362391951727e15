"""Export files written whole or not at all: a temporary beside the target, then one rename."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from casb_pipeline.config import ensure_private_dir
from casb_pipeline.lake.files import temp_path_for


def write_text_atomic(final: Path, chunks: Iterable[str]) -> Path:
    """Write ``chunks`` (UTF-8) to ``final`` atomically, mode 0600 under a 0700 folder.

    A reader (or a crash at any point) sees the previous file or the complete
    new one, never a half-written export.
    """
    ensure_private_dir(final.parent)
    temp = temp_path_for(final)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    return final
