"""Payment cards, IBANs and US bank routing numbers."""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.checksums import aba_routing, luhn, mod97
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

# Numbers card networks publish for testing (Visa, Mastercard, Amex, Discover,
# JCB, Diners, UnionPay test ranges used in payment providers' documentation).
TEST_CARD_NUMBERS = (
    "4111111111111111",
    "4242424242424242",
    "4012888888881881",
    "4000056655665556",
    "4000000000000002",
    "4000000000000077",
    "4000000000009995",
    "4222222222222",
    "5555555555554444",
    "5105105105105100",
    "5200828282828210",
    "2223003122003222",
    "378282246310005",
    "371449635398431",
    "378734493671000",
    "6011111111111117",
    "6011000990139424",
    "6011000000000004",
    "3530111333300000",
    "3566002020360505",
    "30569309025904",
    "38520000023237",
    "36227206271667",
    "6200000000000005",
)

# Official IBAN lengths by country (SWIFT IBAN registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
    "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
    "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
    "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
    "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
    "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
    "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip

# IBANs printed in standards, registries and encyclopaedias as examples.
EXAMPLE_IBANS = (
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "GB29NWBK60161331926819",
    "GB33BUKB20201555555555",
    "FR1420041010050500013M02606",
    "FR7630006000011234567890189",
    "NL91ABNA0417164300",
    "CH9300762011623852957",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
    "BE68539007547034",
    "AT611904300234573201",
)

MAESTRO_PREFIXES = (5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763)

_CARD_CONTEXT = (
    r"card|visa|master ?card|amex|american express|discover|\bjcb\b|diners|\bcc\b|\bpan\b"
    r"|\bcvv|\bcvc|expir|\bexp\b|payment|carte|tarjeta|karte|kreditkarte|信用卡|カード"
)


def _prefix(digits: pl.Expr, length: int) -> pl.Expr:
    return digits.str.slice(0, length).str.to_integer(strict=False)


def card_brand(digits: pl.Expr) -> pl.Expr:
    """The card network implied by the IIN prefix and length, or null."""
    n = digits.str.len_chars()
    p2, p3, p4, p6 = (_prefix(digits, k) for k in (2, 3, 4, 6))
    long_card = n.is_between(16, 19)
    return (
        pl.when(digits.str.starts_with("4") & n.is_in([13, 16, 19]))
        .then(pl.lit("visa"))
        .when((p2.is_between(51, 55) | p4.is_between(2221, 2720)) & (n == 16))
        .then(pl.lit("mastercard"))
        .when(p2.is_in([34, 37]) & (n == 15))
        .then(pl.lit("amex"))
        .when(
            ((p4 == 6011) | p3.is_between(644, 649) | (p2 == 65) | p6.is_between(622126, 622925))
            & long_card
        )
        .then(pl.lit("discover"))
        .when(p4.is_between(3528, 3589) & long_card)
        .then(pl.lit("jcb"))
        .when((p3.is_between(300, 305) | p2.is_in([36, 38, 39])) & n.is_between(14, 19))
        .then(pl.lit("diners"))
        .when(p4.is_between(2200, 2204) & long_card)
        .then(pl.lit("mir"))
        .when((p2 == 62) & long_card)
        .then(pl.lit("unionpay"))
        .when(p4.is_in(MAESTRO_PREFIXES) & n.is_between(12, 19))
        .then(pl.lit("maestro"))
    )


def credit_card_number() -> Detector:
    brand = card_brand(DIGITS)
    return Detector(
        id="credit_card_number",
        scanner="numeric",
        prefilter=digits_only_shape((12, 19)),
        accept=shape(r"[0-9 \-]{12,23}") & brand.is_not_null() & luhn(DIGITS),
        confidence=choose(is_formatted(), HIGH, MEDIUM),
        context=_CARD_CONTEXT,
        placeholder=DIGITS.is_in(TEST_CARD_NUMBERS) | dummy_digits(DIGITS.str.head(-1)),
        normalised=DIGITS,
        masked=pl.concat_str(brand, pl.lit(" ****"), DIGITS.str.tail(4)),
        severity=HIGH,
    )


def iban() -> Detector:
    compact = VALUE.str.replace_all(" ", "", literal=True)
    country = compact.str.slice(0, 2)
    expected = country.replace_strict(
        list(IBAN_LENGTHS), list(IBAN_LENGTHS.values()), default=None, return_dtype=pl.UInt32
    )
    return Detector(
        id="iban",
        scanner="numeric",
        # Check digits run from 02 to 98 (00, 01 and 99 are never issued).
        prefilter=VALUE.str.contains("^[A-Z]{2}[0-9]{2}"),
        accept=(compact.str.len_chars() == expected)
        & compact.str.slice(2, 2).str.to_integer(strict=False).is_between(2, 98)
        & mod97(compact),
        confidence=level(HIGH),
        placeholder=compact.is_in(EXAMPLE_IBANS) | dummy_digits(compact.str.slice(4, 10)),
        normalised=compact,
        masked=pl.concat_str(country, pl.lit("** …"), compact.str.tail(4)),
        severity=MEDIUM,
    )


def us_aba_routing() -> Detector:
    # First two digits: Federal Reserve districts (01-12), thrifts (21-32),
    # electronic (61-72), traveller's cheques (80) and government (00).
    district = _prefix(DIGITS, 2)
    valid_prefix = (
        district.is_between(0, 12) | district.is_between(21, 32) | district.is_between(61, 72)
    ) | (district == 80)
    return Detector(
        id="us_aba_routing",
        scanner="numeric",
        prefilter=digits_only_shape(9) & (VALUE.str.len_chars() == 9),
        accept=shape("[0-9]{9}") & valid_prefix & aba_routing(DIGITS),
        confidence=level(LOW),
        with_context=level(HIGH),
        context=r"routing|\baba\b|\brtn\b|transit|\bach\b|wire|bank",
        placeholder=dummy_digits(DIGITS),
        normalised=DIGITS,
        masked=last(DIGITS, 4, "routing …"),
        severity=LOW,
    )
