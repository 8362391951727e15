"""Contact data: e-mail addresses, phone numbers, public IP addresses."""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.detectors.base import (
    BEFORE,
    DIGITS,
    VALUE,
    Detector,
    choose,
    digit_count,
    is_formatted,
    level,
    shape,
)
from casb_pipeline.dlp.heuristics import dummy_digits
from casb_pipeline.dlp.levels import HIGH, LOW, MEDIUM
from casb_pipeline.dlp.masking import ELLIPSIS, last

# Domains reserved for documentation (RFC 2606, RFC 6761) and the usual
# stand-ins in templates.
EXAMPLE_DOMAINS = (
    r"(?:^|\.)(?:example\.(?:com|org|net|edu)|example|test|invalid|localhost|local"
    r"|domain\.(?:com|tld)|email\.com|yourdomain\.com|yourcompany\.com|company\.com|acme\.com)$"
)
EXAMPLE_LOCAL_PARTS = (
    "user", "username", "name", "email", "you", "your.name", "yourname", "someone",
    "firstname.lastname", "first.last",
)  # fmt: skip
# Source-code host users in clone URLs, not people.
SERVICE_ADDRESSES = r"^git@(?:github\.com|gitlab\.com|bitbucket\.org|ssh\.dev\.azure\.com)$"

_PHONE_CONTEXT = (
    r"phone|\btel\b|tel:|mobile|\bcell|call|\bfax\b|whatsapp|\bsms\b|contact|téléphone|telefon"
    r"|teléfono|handy|portable|電話|手机"
)
_IP_CONTEXT = (
    r"\bip\b|ip address|address|\bhost|server|client|remote|\bssh\b|connect|firewall|\baddr"
    r"|\bsrc\b|\bdst\b|source|destination|login from|peer|origin"
)


def email_address() -> Detector:
    local = VALUE.str.extract(r"^(.*)@", 1)
    domain = VALUE.str.extract(r"@(.*)$", 1).str.to_lowercase()
    well_formed = ~local.str.contains(r"^\.|\.$|\.\.")
    # Part of a URL's user:password@host is not a mailbox.
    url_credentials = BEFORE.str.contains(r"://[^\s/@]*$")
    return Detector(
        id="email_address",
        scanner="email",
        accept=well_formed & ~url_credentials & ~VALUE.str.contains(SERVICE_ADDRESSES),
        confidence=level(HIGH),
        placeholder=domain.str.contains(EXAMPLE_DOMAINS)
        | local.str.to_lowercase().is_in(EXAMPLE_LOCAL_PARTS),
        normalised=VALUE.str.to_lowercase(),
        masked=pl.concat_str(local.str.head(1), pl.lit("***@"), domain),
        severity=LOW,
    )


def _nanp(national: pl.Expr) -> pl.Expr:
    """A valid North American number: NPA and exchange start with 2-9 and are
    not N11 service codes."""
    return national.str.contains(r"^[2-9][0-9]{2}[2-9][0-9]{6}$") & ~national.str.contains(
        r"^(?:[2-9]11|[0-9]{3}[2-9]11)"
    )


def phone_number() -> Detector:
    n = digit_count()
    international = VALUE.str.starts_with("+")
    national = (
        pl.when((n == 11) & DIGITS.str.starts_with("1")).then(DIGITS.str.slice(1)).otherwise(DIGITS)
    )
    north_american = ~international & _nanp(national) & (n <= 11)
    # National numbers: trunk 0 then a non-zero digit (00 dials abroad), not
    # grouped like an SSN.
    trunk_zero = (
        VALUE.str.contains(r"^\(?0[1-9]")
        & ~VALUE.str.contains(r"^[0-9]{3}[ \-][0-9]{2}[ \-][0-9]{4}$")
        & n.is_between(9, 11)
        & is_formatted()
    )
    valid = (international & n.is_between(8, 15)) | north_american | trunk_zero
    bare = ~international & ~is_formatted()
    # 555-0100 to 555-0199 are reserved for fiction.
    fictional = north_american & national.str.contains(r"^[0-9]{3}55501[0-9]{2}$")
    return Detector(
        id="phone_number",
        scanner="numeric",
        prefilter=digit_count().is_between(8, 15)
        & (VALUE.str.count_matches(".", literal=True) < 3)
        & ~VALUE.str.contains("[A-Za-z]"),
        accept=shape(r"[+(]?[0-9][0-9 .\-()]{6,22}[0-9]")
        & ~shape(r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}")
        & valid,
        confidence=choose(bare, LOW, MEDIUM),
        with_context=choose(bare, MEDIUM, HIGH),
        context=_PHONE_CONTEXT,
        placeholder=fictional | dummy_digits(DIGITS.str.tail(7)),
        normalised=pl.when(north_american).then(pl.lit("1") + national).otherwise(DIGITS),
        masked=last(DIGITS, 4, f"phone {ELLIPSIS}"),
        severity=LOW,
    )


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
# Private, shared, loopback, link-local, benchmarking, multicast and reserved
# space (RFC 1918, 6598, 1122, 3927, 2544, 5771, 1112).
PRIVATE_V4 = (
    r"^(?:0|10|127)\.|^169\.254\.|^172\.(?:1[6-9]|2[0-9]|3[01])\.|^192\.168\.|^192\.0\.0\."
    r"|^100\.(?:6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.|^198\.1[89]\.|^(?:22[4-9]|2[3-5][0-9])\."
)
# Documentation ranges (RFC 5737).
DOCUMENTATION_V4 = r"^(?:192\.0\.2|198\.51\.100|203\.0\.113)\."
_VERSION_BEFORE = r"(?i)(?:version|\bver\.?|\bv|release|build|firmware|\brev\.?|\br)[\"' :=]*$"


def ipv4_address() -> Detector:
    private = VALUE.str.contains(PRIVATE_V4)
    small = VALUE.str.contains(r"^[0-9]\.[0-9]\.[0-9]\.[0-9]$")
    return Detector(
        id="ip_address",
        scanner="numeric",
        prefilter=(VALUE.str.count_matches(".", literal=True) == 3)
        & ~VALUE.str.contains("[A-Za-z ]"),
        # Octets up to 255, without leading zeros.
        accept=shape(rf"(?:{_OCTET}\.){{3}}{_OCTET}") & ~BEFORE.str.contains(_VERSION_BEFORE),
        confidence=choose(private | small, LOW, MEDIUM),
        with_context=choose(private, LOW, HIGH),
        at_most=choose(private, LOW, HIGH),
        context=_IP_CONTEXT,
        placeholder=VALUE.str.contains(DOCUMENTATION_V4),
        masked=pl.concat_str(VALUE.str.extract(r"^([0-9]+\.[0-9]+)\.", 1), pl.lit(".x.x")),
        severity=LOW,
    )


def ipv6_address() -> Detector:
    compressions = VALUE.str.count_matches("::", literal=True)
    groups = VALUE.str.split(":").list.eval(pl.element().filter(pl.element() != "")).list.len()
    valid = ~VALUE.str.contains(":::") & (
        ((compressions == 0) & (groups == 8)) | ((compressions == 1) & (groups <= 7))
    )
    first_group = VALUE.str.extract(r"^([0-9A-Fa-f]{1,4}):", 1).str.to_integer(
        base=16, strict=False
    )
    global_unicast = first_group.is_between(0x2000, 0x3FFF)
    documentation = VALUE.str.to_lowercase().str.contains(r"^2001:0?db8:")
    return Detector(
        id="ip_address",
        scanner="ipv6",
        accept=valid,
        confidence=choose(global_unicast, MEDIUM, LOW),
        with_context=choose(global_unicast, HIGH, LOW),
        at_most=choose(global_unicast, HIGH, LOW),
        context=_IP_CONTEXT,
        placeholder=documentation,
        normalised=VALUE.str.to_lowercase(),
        masked=pl.concat_str(VALUE.str.extract(r"^([0-9A-Fa-f]{0,4})", 1), pl.lit(f":{ELLIPSIS}")),
        severity=LOW,
    )
