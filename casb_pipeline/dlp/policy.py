"""Profiles, custom rules and allowlists: what to report and how loudly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from casb_pipeline.dlp.levels import HIGH, MEDIUM

PII_RECORD = "pii_record"

BUILTIN_PROFILES: dict[str, tuple[str, ...]] = {
    "financial": ("credit_card_number", "iban", "us_aba_routing"),
    "national_ids": ("us_ssn", "us_itin", "uk_nino", "ca_sin", "in_aadhaar"),
    "contact_pii": ("email_address", "phone_number", "ip_address"),
    "credentials": (
        "aws_access_key_id",
        "aws_secret_access_key",
        "github_token",
        "gitlab_token",
        "slack_token",
        "slack_webhook_url",
        "stripe_secret_key",
        "google_api_key",
        "anthropic_api_key",
        "openai_api_key",
        "private_key",
        "jwt",
        "database_connection_string",
        "password_assignment",
    ),
    PII_RECORD: (PII_RECORD,),
}

# Detectors whose values make up a personal record when several sit together.
PII_RECORD_PARTS = (
    "email_address",
    "phone_number",
    "us_ssn",
    "us_itin",
    "uk_nino",
    "ca_sin",
    "in_aadhaar",
    "credit_card_number",
    "iban",
)

VALIDATORS = ("luhn", "mod97", "aba_routing", "verhoeff")


@dataclass(frozen=True)
class Profile:
    """Thresholds of a group of detectors.

    Matches below ``min_confidence`` are dropped; a text reports a profile's
    matches only when it has at least ``min_count`` of them. ``severity``
    overrides the detectors' own; ``bulk_count`` values of one detector in
    one text raise severity by one step.
    """

    name: str
    min_confidence: int = MEDIUM
    min_count: int = 1
    severity: int | None = None
    enabled: bool = True
    bulk_count: int = 10


@dataclass(frozen=True)
class EdmSet:
    """Keyed digests of exact values (made by ``casb-pipeline dlp hash-edm``)."""

    source: str
    digests: pl.Series = field(repr=False)
    key_check: str = field(repr=False)


@dataclass(frozen=True)
class CustomRule:
    """A rule of a custom profile; its findings carry ``custom:<name>``.

    Exactly one of: ``pattern`` (a regex; its whole match is reported),
    ``keywords``, or ``edm`` with either ``edm_detectors`` (built-in
    detectors whose matches are looked up) or ``pattern``.
    """

    name: str
    profile: str
    pattern: str | None = None
    keywords: tuple[str, ...] = ()
    case_sensitive: bool = False
    validator: str | None = None
    min_entropy: float | None = None
    context: tuple[str, ...] = ()
    confidence: int = MEDIUM
    edm: EdmSet | None = None
    edm_detectors: tuple[str, ...] = ()
    edm_kind: str | None = None

    @property
    def detector_id(self) -> str:
        return f"custom:{self.name}"


@dataclass(frozen=True)
class AllowEntry:
    """Matches to keep but mark as allowed (reported as ``ignored`` downstream):
    by ``fingerprint``, or by ``pattern`` over the normalised value; for
    ``detectors`` only when given; until ``expires`` (inclusive) when given."""

    reason: str
    fingerprint: str | None = None
    pattern: str | None = None
    detectors: tuple[str, ...] = ()
    expires: date | None = None
    origin: str = ""

    def active(self, today: date) -> bool:
        return self.expires is None or today <= self.expires


def builtin_profiles() -> tuple[Profile, ...]:
    return tuple(
        Profile(name=name, severity=HIGH if name == PII_RECORD else None)
        for name in BUILTIN_PROFILES
    )


@dataclass(frozen=True)
class Policy:
    """Everything a scan needs besides the key. Build with ``load_policy``."""

    profiles: tuple[Profile, ...] = field(default_factory=builtin_profiles)
    rules: tuple[CustomRule, ...] = ()
    allowlist: tuple[AllowEntry, ...] = ()
    context_window: int = 64
    record_window: int = 200
    record_min_types: int = 3

    def profile(self, name: str) -> Profile:
        for profile in self.profiles:
            if profile.name == name:
                return profile
        raise KeyError(name)

    def profile_of(self) -> dict[str, str]:
        """Detector id -> profile name, for built-in and custom detectors."""
        mapping = {
            detector: profile
            for profile, detectors in BUILTIN_PROFILES.items()
            for detector in detectors
        }
        mapping.update({rule.detector_id: rule.profile for rule in self.rules})
        return mapping
