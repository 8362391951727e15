"""API tokens and keys that their issuers give a recognisable prefix."""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.checksums import github_checksum
from casb_pipeline.dlp.detectors.base import VALUE, Detector, choose, level, shape, token_ends
from casb_pipeline.dlp.heuristics import entropy_below, has_placeholder_segment
from casb_pipeline.dlp.levels import CRITICAL, HIGH, MEDIUM
from casb_pipeline.dlp.masking import ELLIPSIS, prefix_and_length

_NEARBY_WORDS = r"token|secret|api[ _\-]?key|\bkey\b|auth|bearer|credential|password"


def _dummy(random_part: pl.Expr, minimum_entropy: float = 3.0) -> pl.Expr:
    """Template values: marker words, or too little entropy to be random."""
    return has_placeholder_segment(random_part) | entropy_below(random_part, minimum_entropy)


def _masked(prefix_pattern: str) -> pl.Expr:
    return prefix_and_length(VALUE, VALUE.str.extract(f"^({prefix_pattern})", 1).fill_null(""))


def github_token() -> Detector:
    classic = shape(r"gh[pousr]_[A-Za-z0-9]{36}")
    fine_grained = shape(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}")
    return Detector(
        id="github_token",
        scanner="tokens",
        accept=(classic | fine_grained) & token_ends(),
        # Classic tokens end with a CRC-32 of their random part.
        confidence=pl.when(classic)
        .then(choose(github_checksum(VALUE), HIGH, MEDIUM))
        .otherwise(level(HIGH)),
        context=_NEARBY_WORDS,
        placeholder=_dummy(VALUE.str.extract(r"_([A-Za-z0-9]+)$", 1)),
        masked=_masked("gh[a-z]_|github_pat_"),
        severity=HIGH,
    )


def gitlab_token() -> Detector:
    return Detector(
        id="gitlab_token",
        scanner="tokens",
        accept=shape(r"gl[a-z]{1,6}-[A-Za-z0-9_\-.]{20,}"),
        confidence=level(HIGH),
        placeholder=_dummy(VALUE.str.extract(r"^gl[a-z]+-(.*)$", 1)),
        masked=_masked("gl[a-z]+-"),
        severity=HIGH,
    )


def slack_token() -> Detector:
    known_layout = shape(
        r"xoxb-[0-9]{8,13}-[0-9]{8,13}-[A-Za-z0-9]{24,34}"
        r"|xoxp-[0-9]{8,13}-[0-9]{8,13}-[0-9]{8,13}-[a-f0-9]{32}"
        r"|xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-f0-9]{64}"
    )
    return Detector(
        id="slack_token",
        scanner="tokens",
        accept=shape(r"(?:xox[abposer]-|xoxe\.xox[bp]-|xapp-)[A-Za-z0-9\-]{10,}")
        & (VALUE.str.len_chars() >= 24),
        confidence=choose(known_layout, HIGH, MEDIUM),
        context=_NEARBY_WORDS + r"|slack",
        placeholder=_dummy(VALUE.str.slice(5)),
        masked=_masked(r"xox[a-z]-|xoxe\.xox[a-z]-|xapp-"),
        severity=HIGH,
    )


def slack_webhook_url() -> Detector:
    secret = VALUE.str.extract(r"/([A-Za-z0-9]+)$", 1)
    return Detector(
        id="slack_webhook_url",
        scanner="tokens",
        accept=shape(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]+"),
        confidence=choose(
            shape(
                r"https://hooks\.slack\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24}"
            ),
            HIGH,
            MEDIUM,
        ),
        placeholder=VALUE.str.contains(r"XXXXXXXX|/T0{8}|/B0{8}") | _dummy(secret),
        masked=_masked(r"https://hooks\.slack\.com/[a-z]+/"),
        severity=MEDIUM,
    )


def _fixed_prefix(detector_id: str, prefix: str, body: str, severity: int) -> Detector:
    """A key made of a fixed ``prefix`` and a random ``body`` (both regexes):
    high confidence unless the random part is a dummy."""
    return Detector(
        id=detector_id,
        scanner="tokens",
        accept=shape(prefix + body) & token_ends(),
        confidence=level(HIGH),
        placeholder=_dummy(VALUE.str.replace(f"^{prefix}", "")),
        masked=_masked(prefix),
        severity=severity,
    )


def stripe_secret_key() -> Detector:
    return _fixed_prefix("stripe_secret_key", "[sr]k_live_", "[A-Za-z0-9]{20,247}", CRITICAL)


def google_api_key() -> Detector:
    return _fixed_prefix("google_api_key", "AIza", r"[A-Za-z0-9_\-]{35}", MEDIUM)


def anthropic_api_key() -> Detector:
    return Detector(
        id="anthropic_api_key",
        scanner="tokens",
        accept=shape(r"sk-ant-[a-z]{2,8}[0-9]{2}-[A-Za-z0-9_\-]{20,}"),
        confidence=choose(VALUE.str.len_chars() >= 60, HIGH, MEDIUM),
        context=_NEARBY_WORDS + r"|anthropic|claude",
        placeholder=_dummy(VALUE.str.extract(r"^sk-ant-[a-z]+[0-9]+-(.*)$", 1), 3.5),
        masked=_masked(r"sk-ant-[a-z]+[0-9]+-"),
        severity=HIGH,
    )


def openai_api_key() -> Detector:
    # Keys carry "T3BlbkFJ" (base64 of "OpenAI") in the middle; newer project
    # and service-account keys at least carry their prefix.
    marker = VALUE.str.contains("T3BlbkFJ", literal=True)
    prefixed = VALUE.str.contains(r"^sk-(?:proj|svcacct|admin)-") & (VALUE.str.len_chars() >= 40)
    return Detector(
        id="openai_api_key",
        scanner="tokens",
        accept=~VALUE.str.starts_with("sk-ant-") & (marker | prefixed),
        confidence=choose(marker, HIGH, MEDIUM),
        context=_NEARBY_WORDS + r"|openai|gpt",
        placeholder=_dummy(VALUE.str.slice(3), 3.5),
        masked=_masked(r"sk-(?:proj-|svcacct-|admin-|None-)?"),
        severity=HIGH,
    )


def aws_access_key_id() -> Detector:
    return Detector(
        id="aws_access_key_id",
        scanner="tokens",
        accept=shape(r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}") & token_ends(),
        confidence=level(HIGH),
        # AWS documentation uses AKIAIOSFODNN7EXAMPLE and friends.
        placeholder=VALUE.str.ends_with("EXAMPLE") | _dummy(VALUE.str.slice(4), 2.5),
        masked=pl.concat_str(VALUE.str.head(4), pl.lit(ELLIPSIS), VALUE.str.tail(4)),
        severity=HIGH,
    )
