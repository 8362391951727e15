"""Content-addressed blob store: ``blobs/<sha256>``, written once, owner-only."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from casb_pipeline.config import ensure_private_dir
from casb_pipeline.lake.files import atomic_write, temp_path_for

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    """Raw content by SHA-256. Writers stage a file beside the store, then adopt it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __repr__(self) -> str:
        return f"BlobStore({str(self.root)!r})"

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError("not a lowercase hex SHA-256 digest")
        return self.root / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def staging_path(self, hint: str = "blob") -> Path:
        """A fresh hidden path inside the store for a download in progress."""
        ensure_private_dir(self.root)
        return temp_path_for(self.root / hint)

    def adopt(self, staged: Path, sha256: str) -> Path:
        """Move a fully written, verified file into place under its digest."""
        final = self.path(sha256)
        if final.exists():
            staged.unlink(missing_ok=True)
        else:
            staged.chmod(0o600)
            os.replace(staged, final)
        return final

    def put_bytes(self, data: bytes) -> str:
        """Store ``data`` and return its digest (used for small texts such as artifacts)."""
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.has(sha256):
            with atomic_write(self.path(sha256)) as handle:
                handle.write(data)
        return sha256
