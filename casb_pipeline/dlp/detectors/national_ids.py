"""National identifiers: US SSN and ITIN, UK NINO, Canadian SIN, Aadhaar."""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.checksums import luhn, verhoeff
from casb_pipeline.dlp.detectors.base import (
    DIGITS,
    VALUE,
    Detector,
    choose,
    digits_only_shape,
    is_formatted,
    level,
    shape,
)
from casb_pipeline.dlp.heuristics import dummy_digits
from casb_pipeline.dlp.levels import HIGH, LOW, MEDIUM
from casb_pipeline.dlp.masking import last

# Numbers the SSA voided after they were printed in advertising and samples
# (987-65-4320 to 987-65-4329, reserved for advertising, fall in ITIN space).
PUBLISHED_SSNS = ("078051120", "219099999", "457555462")
# The SIN used in Canadian government forms and guides.
PUBLISHED_SINS = ("046454286",)

_NINE_DIGITS = r"[0-9]{3}[ \-]?[0-9]{2}[ \-]?[0-9]{4}"


def _part(digits: pl.Expr, offset: int, length: int) -> pl.Expr:
    return digits.str.slice(offset, length).str.to_integer(strict=False)


def us_ssn() -> Detector:
    area, group, serial = _part(DIGITS, 0, 3), _part(DIGITS, 3, 2), _part(DIGITS, 5, 4)
    valid = (area > 0) & (area != 666) & (area < 900) & (group > 0) & (serial > 0)
    return Detector(
        id="us_ssn",
        scanner="numeric",
        prefilter=digits_only_shape(9),
        accept=shape(_NINE_DIGITS) & valid,
        confidence=choose(is_formatted(), MEDIUM, LOW),
        with_context=level(HIGH),
        context=r"\bssn|social security|soc\.? ?sec|\bss ?#",
        placeholder=DIGITS.is_in(PUBLISHED_SSNS) | dummy_digits(DIGITS),
        normalised=DIGITS,
        masked=last(DIGITS, 4, "***-**-"),
        severity=HIGH,
    )


def us_itin() -> Detector:
    area, group = _part(DIGITS, 0, 3), _part(DIGITS, 3, 2)
    valid_group = (
        group.is_between(50, 65)
        | group.is_between(70, 88)
        | group.is_between(90, 92)
        | group.is_between(94, 99)
    )
    return Detector(
        id="us_itin",
        scanner="numeric",
        prefilter=digits_only_shape(9) & DIGITS.str.starts_with("9"),
        accept=shape(_NINE_DIGITS) & (area >= 900) & valid_group,
        # 9xx-xx-xxxx is also what made-up SSNs look like: a word is needed.
        confidence=level(LOW),
        with_context=level(HIGH),
        context=r"\bitin\b|taxpayer|tax id|\btin\b|tax identification|\bw-?7\b",
        placeholder=DIGITS.str.starts_with("9876543") | dummy_digits(DIGITS),
        normalised=DIGITS,
        masked=last(DIGITS, 4, "9**-**-"),
        severity=HIGH,
    )


def uk_nino() -> Detector:
    compact = VALUE.str.replace_all(" ", "", literal=True)
    prefix = compact.str.slice(0, 2)
    valid_prefix = (
        ~prefix.str.contains("^[DFIQUV]")
        & ~prefix.str.contains("^.[DFIOQUV]")
        & ~prefix.is_in(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"])
    )
    return Detector(
        id="uk_nino",
        scanner="numeric",
        prefilter=VALUE.str.contains("^[A-Z]{2}") & (DIGITS.str.len_chars() == 6),
        accept=shape(r"[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]") & valid_prefix,
        confidence=level(MEDIUM),
        context=r"national insurance|\bnino\b|\bni\b|ni number|ni no",
        placeholder=dummy_digits(DIGITS),
        normalised=compact,
        masked=pl.concat_str(prefix, pl.lit(" ** ** ** "), compact.str.tail(1)),
        severity=HIGH,
    )


def ca_sin() -> Detector:
    first = _part(DIGITS, 0, 1)
    return Detector(
        id="ca_sin",
        scanner="numeric",
        prefilter=digits_only_shape(9),
        accept=shape(r"[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{3}")
        & luhn(DIGITS)
        & (first != 0)
        & (first != 8),
        confidence=level(LOW),
        with_context=level(HIGH),
        context=r"\bsin\b|social insurance|assurance sociale|\bnas\b",
        placeholder=DIGITS.is_in(PUBLISHED_SINS) | dummy_digits(DIGITS),
        normalised=DIGITS,
        masked=last(DIGITS, 3, "*** *** "),
        severity=HIGH,
    )


def in_aadhaar() -> Detector:
    return Detector(
        id="in_aadhaar",
        scanner="numeric",
        prefilter=digits_only_shape(12),
        accept=shape(r"[2-9][0-9]{3}[ \-]?[0-9]{4}[ \-]?[0-9]{4}") & verhoeff(DIGITS, 12),
        confidence=choose(is_formatted(), MEDIUM, LOW),
        with_context=level(HIGH),
        context=r"aadhaa?r|uidai|\buid\b|आधार",
        placeholder=dummy_digits(DIGITS.str.head(-1)),
        normalised=DIGITS,
        masked=last(DIGITS, 4, "**** **** "),
        severity=HIGH,
    )
