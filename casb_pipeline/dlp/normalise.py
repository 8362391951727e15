"""Normal forms fingerprints are taken of, shared by scans and EDM hashing.

The same value written two ways (``123-45-6789`` and ``123 45 6789``) must
give the same fingerprint, and an exact-data-match digest made from a CSV
must equal the fingerprint of the value found in a text: both go through the
normaliser of the value's kind.
"""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.detectors import builtin_detectors
from casb_pipeline.dlp.detectors.base import VALUE

# Short names accepted for EDM columns, mapped to detector ids.
KIND_ALIASES = {
    "ssn": "us_ssn",
    "itin": "us_itin",
    "nino": "uk_nino",
    "sin": "ca_sin",
    "aadhaar": "in_aadhaar",
    "card": "credit_card_number",
    "credit_card": "credit_card_number",
    "email": "email_address",
    "phone": "phone_number",
    "ip": "ip_address",
    "routing": "us_aba_routing",
    "aba": "us_aba_routing",
}


def generic() -> pl.Expr:
    """Unicode NFKC, lower case, whitespace runs as one space, trimmed."""
    return (
        VALUE.str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def detector_for_kind(kind: str) -> str | None:
    """The built-in detector id a kind names (directly or by alias), if any."""
    kind = KIND_ALIASES.get(kind.strip().lower(), kind.strip().lower())
    known = {detector.id for detector in builtin_detectors()}
    return kind if kind in known else None


def normaliser(kind: str) -> pl.Expr:
    """The normal form of ``kind`` over columns ``value`` and ``digits``:
    the detector's own for a built-in kind, :func:`generic` otherwise."""
    detector_id = detector_for_kind(kind)
    for detector in builtin_detectors():
        if detector.id == detector_id:
            return detector.normalised
    return generic()


def digits_of(text: pl.Expr) -> pl.Expr:
    """The digits of each string (runs of other characters removed at once:
    one replacement per run is far cheaper than one per character)."""
    return text.str.replace_all(r"[^0-9]+", "")
