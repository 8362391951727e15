"""Errors of the DLP engine a user can act on (the CLI prints them as one line)."""

from __future__ import annotations

from pathlib import Path

from casb_pipeline.errors import CasbError


class DlpInputError(CasbError):
    """The table to scan is missing, unreadable, or lacks a usable column."""


class ProfilesFileError(CasbError):
    """A profiles file is malformed; the message names the file, line and field."""

    def __init__(self, path: Path | str, line: int | None, field: str, problem: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {field}: {problem}")
        self.path = str(path)
        self.line = line
        self.field = field


class EdmError(CasbError):
    """An exact-data-match file or its source CSV cannot be used."""
