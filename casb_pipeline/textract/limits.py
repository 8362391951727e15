"""Guards of text extraction, from parameters or ``CASB_TEXTRACT_*`` variables."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

from casb_pipeline.config import ConfigError

MIB = 1024 * 1024

# Field name -> environment variable (README, "Text extraction").
ENV_VARS = {
    "max_bytes": "CASB_TEXTRACT_MAX_BYTES",
    "max_chars": "CASB_TEXTRACT_MAX_CHARS",
    "max_zip_depth": "CASB_TEXTRACT_MAX_ZIP_DEPTH",
    "max_zip_ratio": "CASB_TEXTRACT_MAX_ZIP_RATIO",
    "max_zip_total_bytes": "CASB_TEXTRACT_MAX_ZIP_TOTAL_BYTES",
    "zip_ratio_min_bytes": "CASB_TEXTRACT_ZIP_RATIO_MIN_BYTES",
    "timeout_s": "CASB_TEXTRACT_TIMEOUT_S",
}


@dataclass(frozen=True)
class ExtractLimits:
    """Caps applied to every file.

    ``max_zip_ratio`` (uncompressed/compressed size) is checked per archive member and
    for the archive as a whole, but only where the uncompressed size reaches
    ``zip_ratio_min_bytes``: a small, very compressible member cannot exhaust anything.
    The same zip checks apply to DOCX, XLSX and PPTX, which are zip containers.
    """

    max_bytes: int = 100 * MIB
    max_chars: int = 20_000_000
    max_zip_depth: int = 10
    max_zip_ratio: float = 100.0
    max_zip_total_bytes: int = 500 * MIB
    zip_ratio_min_bytes: int = 1 * MIB
    timeout_s: float = 60.0

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            zero_ok = field.name == "zip_ratio_min_bytes"
            if not (math.isfinite(value) and (value > 0 or (zero_ok and value == 0))):
                floor = "zero or more" if zero_ok else "above zero"
                raise ConfigError(
                    f"text extraction limit {field.name}={value!r} "
                    f"({ENV_VARS[field.name]}) must be a finite number {floor}"
                )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ExtractLimits:
        """Defaults overridden by the ``CASB_TEXTRACT_*`` variables that are set."""
        env = os.environ if env is None else env
        values: dict[str, int | float] = {}
        for field in fields(cls):
            raw = env.get(ENV_VARS[field.name], "").strip()
            if raw:
                parse = float if field.type in (float, "float") else int
                values[field.name] = _parse(ENV_VARS[field.name], raw, parse)
        return cls(**values)  # type: ignore[arg-type]


def format_bytes(size: float) -> str:
    """``512 B``, ``3.0 KiB``, ``100.0 MiB``: sizes in reasons a person reads."""
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.0f} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def _parse(name: str, raw: str, parse: Callable[[str], int | float]) -> int | float:
    try:
        return parse(raw)
    except ValueError:
        kind = "a number" if parse is float else "a whole number"
        raise ConfigError(f"{name}={raw!r} is not {kind}") from None
