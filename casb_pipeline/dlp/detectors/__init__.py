"""The built-in detectors, in priority order (the first wins a tie for a span)."""

from __future__ import annotations

from functools import cache

from casb_pipeline.dlp.detectors.base import Detector
from casb_pipeline.dlp.detectors.contact import (
    email_address,
    ipv4_address,
    ipv6_address,
    phone_number,
)
from casb_pipeline.dlp.detectors.credentials import (
    aws_secret_access_key,
    database_url,
    jwt,
    key_value_connection_string,
    password_assignment,
    private_key,
)
from casb_pipeline.dlp.detectors.financial import credit_card_number, iban, us_aba_routing
from casb_pipeline.dlp.detectors.national_ids import ca_sin, in_aadhaar, uk_nino, us_itin, us_ssn
from casb_pipeline.dlp.detectors.tokens import (
    anthropic_api_key,
    aws_access_key_id,
    github_token,
    gitlab_token,
    google_api_key,
    openai_api_key,
    slack_token,
    slack_webhook_url,
    stripe_secret_key,
)


@cache
def builtin_detectors() -> tuple[Detector, ...]:
    """Every built-in detector, most specific first (built once: expressions
    are immutable)."""
    return (
        private_key(),
        aws_secret_access_key(),
        aws_access_key_id(),
        github_token(),
        gitlab_token(),
        slack_webhook_url(),
        slack_token(),
        stripe_secret_key(),
        google_api_key(),
        anthropic_api_key(),
        openai_api_key(),
        jwt(),
        database_url(),
        key_value_connection_string(),
        password_assignment(),
        credit_card_number(),
        iban(),
        us_aba_routing(),
        us_ssn(),
        us_itin(),
        uk_nino(),
        in_aadhaar(),
        ca_sin(),
        email_address(),
        phone_number(),
        ipv4_address(),
        ipv6_address(),
    )


__all__ = ["Detector", "builtin_detectors"]
