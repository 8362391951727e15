"""Planted sensitive values, decoys, and the answer key that lists them.

A *snippet* is a short passage with realistic context words around one or
more values (an AWS credentials block carries a key id and its secret). The
answer key records every value with the record and part it was put into.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from casb_pipeline.simulator import values as v

DETECTORS: tuple[str, ...] = (
    "credit_card_number",
    "iban",
    "us_aba_routing",
    "us_ssn",
    "us_itin",
    "uk_nino",
    "ca_sin",
    "in_aadhaar",
    "email_address",
    "phone_number",
    "ip_address",
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
)


@dataclass(frozen=True)
class PlantedValue:
    """One value in the served data, with where it is."""

    source_type: str
    source_id: str
    part: str | None
    detector: str
    value: str
    chat_id: str | None
    project_id: str | None
    user_id: str | None


@dataclass(frozen=True)
class AnswerKey:
    """What a scanner must report (``planted``) and must not (``decoys``)."""

    planted: tuple[PlantedValue, ...]
    decoys: tuple[PlantedValue, ...]
    first_day: date
    last_day: date


@dataclass(frozen=True)
class Snippet:
    """A passage holding ``values`` (detector, exact string) verbatim."""

    text: str
    values: tuple[tuple[str, str], ...]
    decoy: bool = False

    @property
    def multiline(self) -> bool:
        return any("\n" in value for _, value in self.values)


_Maker = Callable[[random.Random, str], Snippet]


def _one(detector: str, templates: tuple[str, ...], make: Callable[[random.Random], str]) -> _Maker:
    def build(rng: random.Random, domain: str) -> Snippet:
        value = make(rng)
        return Snippet(rng.choice(templates).format(v=value), ((detector, value),))

    return build


def _aws_pair(rng: random.Random, domain: str) -> Snippet:
    key_id, secret = v.aws_access_key_id(rng), v.aws_secret_access_key(rng)
    text = (
        "Here is the profile from my laptop, the deploy still fails:\n[default]\n"
        f"aws_access_key_id = {key_id}\naws_secret_access_key = {secret}\nregion = eu-west-1"
    )
    return Snippet(text, (("aws_access_key_id", key_id), ("aws_secret_access_key", secret)))


def _connection(rng: random.Random, domain: str) -> Snippet:
    value = v.connection_string(rng, domain)
    template = rng.choice(
        (
            "DATABASE_URL={v}",
            "The reporting job connects with this connection string: {v}",
            "Connexion à la base de données : {v}",
        )
    )
    return Snippet(template.format(v=value), (("database_connection_string", value),))


def _password(rng: random.Random, domain: str) -> Snippet:
    value = v.password(rng)
    template = rng.choice(
        (
            'db_password = "{v}"',
            "SMTP_PASSWORD={v}",
            "  password: {v}",
            "Das Passwort für den Admin-Zugang: password={v}",
        )
    )
    return Snippet(template.format(v=value), (("password_assignment", value),))


_MAKERS: dict[str, _Maker] = {
    "credit_card_number": _one(
        "credit_card_number",
        (
            "Please charge the corporate card {v} (exp 09/28) for the renewal.",
            "Numéro de carte bancaire pour la réservation : {v}",
            "Kreditkarte für die Hotelbuchung: {v}",
        ),
        v.card_number,
    ),
    "iban": _one(
        "iban",
        (
            "Wire the deposit to IBAN {v} before Friday.",
            "Bankverbindung des Lieferanten, IBAN: {v}",
            "Transferencia a la cuenta IBAN {v}, por favor.",
        ),
        v.iban,
    ),
    "us_aba_routing": _one(
        "us_aba_routing",
        (
            "ACH details for payroll: routing number {v}, checking account.",
            "Direct deposit form: ABA routing {v}",
        ),
        v.aba_routing,
    ),
    "us_ssn": _one(
        "us_ssn",
        (
            "New hire paperwork: SSN {v}, start date next Monday.",
            "Her social security number is {v} for the background check.",
        ),
        v.us_ssn,
    ),
    "us_itin": _one(
        "us_itin",
        (
            "Contractor tax ID (ITIN): {v}",
            "The vendor's individual taxpayer identification number ITIN {v} is on the W-9.",
        ),
        v.us_itin,
    ),
    "uk_nino": _one(
        "uk_nino",
        (
            "National Insurance number: {v}",
            "For the UK payroll setup, his NI number is {v}.",
        ),
        v.uk_nino,
    ),
    "ca_sin": _one(
        "ca_sin",
        (
            "Employee SIN (social insurance number): {v}",
            "Numéro d'assurance sociale (NAS/SIN) : {v}",
        ),
        v.ca_sin,
    ),
    "in_aadhaar": _one(
        "in_aadhaar",
        (
            "Aadhaar number for the KYC form: {v}",
            "Please verify the Aadhaar {v} with the UIDAI records.",
        ),
        v.aadhaar,
    ),
    "email_address": _one(
        "email_address",
        (
            "Send the offer letter to her personal email {v} instead.",
            "Contact (email privé) : {v}",
            "個人のメールアドレスは {v} です。",
        ),
        v.email,
    ),
    "phone_number": _one(
        "phone_number",
        (
            "Call me on my mobile {v} if the deploy fails.",
            "Téléphone du client : {v}",
            "Handynummer für Rückfragen: {v}",
        ),
        v.phone,
    ),
    "ip_address": _one(
        "ip_address",
        (
            "The WAF log shows the login attempts came from IP address {v}.",
            "Whitelist the partner's egress IP {v} on the firewall.",
        ),
        v.public_ip,
    ),
    "aws_access_key_id": _one(
        "aws_access_key_id",
        (
            "The leaked AWS access key id {v} is still in the CI variables.",
            "export AWS_ACCESS_KEY_ID={v}",
        ),
        v.aws_access_key_id,
    ),
    "aws_secret_access_key": _aws_pair,
    "github_token": _one(
        "github_token",
        (
            "Use my GitHub token {v} for the release workflow.",
            "git clone with token: GITHUB_TOKEN={v}",
        ),
        v.github_token,
    ),
    "gitlab_token": _one(
        "gitlab_token",
        ("GitLab personal access token for the mirror job: {v}",),
        v.gitlab_token,
    ),
    "slack_token": _one(
        "slack_token",
        (
            "The Slack bot token is {v}, can you check why it gets rate limited?",
            "SLACK_BOT_TOKEN={v}",
        ),
        v.slack_token,
    ),
    "slack_webhook_url": _one(
        "slack_webhook_url",
        ("Alerts are posted to the Slack webhook {v}",),
        v.slack_webhook,
    ),
    "stripe_secret_key": _one(
        "stripe_secret_key",
        (
            "Our Stripe live secret key is {v}, is the webhook signature check right?",
            "stripe.api_key = '{v}'",
        ),
        v.stripe_secret_key,
    ),
    "google_api_key": _one(
        "google_api_key",
        ("Google Maps API key for the store locator: {v}",),
        v.google_api_key,
    ),
    "anthropic_api_key": _one(
        "anthropic_api_key",
        (
            "ANTHROPIC_API_KEY={v}",
            "I put the Anthropic API key {v} in the notebook, is that ok?",
        ),
        v.anthropic_api_key,
    ),
    "openai_api_key": _one(
        "openai_api_key",
        ("OpenAI project key for the eval script: {v}",),
        v.openai_api_key,
    ),
    "private_key": _one(
        "private_key",
        ("Here is the deploy key for the staging box:\n{v}\n",),
        v.private_key,
    ),
    "jwt": _one(
        "jwt",
        (
            "The request fails with Authorization: Bearer {v}",
            "Session token from the browser: {v}",
        ),
        v.jwt,
    ),
    "database_connection_string": _connection,
    "password_assignment": _password,
}


def planted_snippet(detector: str, rng: random.Random, domain: str) -> Snippet:
    """A passage holding a fresh valid value for ``detector``."""
    return _MAKERS[detector](rng, domain)


def _decoy(detector: str, template: str, make: Callable[[random.Random], str]) -> _Maker:
    def build(rng: random.Random, domain: str) -> Snippet:
        value = make(rng)
        return Snippet(template.format(v=value), ((detector, value),), decoy=True)

    return build


def _const(value: str) -> Callable[[random.Random], str]:
    return lambda rng: value


_DECOYS: tuple[_Maker, ...] = (
    _decoy(
        "credit_card_number",
        "The card number {v} from the web form failed validation.",
        v.luhn_invalid_card,
    ),
    _decoy(
        "credit_card_number",
        "Use the Stripe test card {v} in staging.",
        _const("4242 4242 4242 4242"),
    ),
    _decoy("credit_card_number", "QA test card: {v}, any CVC.", _const("4111 1111 1111 1111")),
    _decoy(
        "aws_access_key_id",
        "The AWS docs use {v} as the sample access key id.",
        _const("AKIAIOSFODNN7EXAMPLE"),
    ),
    _decoy(
        "aws_secret_access_key",
        "Example from the docs: aws_secret_access_key = {v}",
        _const("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ),
    _decoy("password_assignment", 'Default config ships with password = "{v}"', _const("changeme")),
    _decoy("password_assignment", "In the README: API_KEY={v}", _const("<your-key>")),
    _decoy("password_assignment", "client_secret: {v}", _const("${SECRET}")),
    _decoy("password_assignment", "token: {v}  # fill in before running", _const("xxxx")),
    _decoy(
        "anthropic_api_key",
        "Template line: ANTHROPIC_API_KEY={v}",
        _const("sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxx"),
    ),
    _decoy("in_aadhaar", "Trace request id {v} in the gateway logs.", v.uuid_with_numeric_tail),
    _decoy("aws_secret_access_key", "Fixed in commit {v} on main.", v.git_sha),
    _decoy("ip_address", "Upgrade the agent to version {v} first.", v.version_string),
    _decoy("phone_number", "Event timestamp {v} (epoch millis).", v.epoch_millis),
    _decoy("credit_card_number", "Batch id {v} finished without errors.", v.compact_timestamp),
    _decoy(
        "iban",
        "The bank rejected IBAN {v} (checksum error), please re-check.",
        lambda rng: v.iban(rng, valid=False),
    ),
    _decoy("us_ssn", "Sample data uses the dummy SSN {v}.", v.invalid_ssn),
)


def decoy_snippet(rng: random.Random, number: int) -> Snippet:
    """The ``number``-th decoy kind (cycling), with fresh random parts."""
    return _DECOYS[number % len(_DECOYS)](rng, "")


DECOY_KINDS = len(_DECOYS)
