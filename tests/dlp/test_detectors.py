"""Every detector: valid values found with exact spans, hard negatives and
placeholders not reported (default policy: medium confidence and up).

All cases go through one scan; each test reads its own rows.
"""

from __future__ import annotations

import random

import polars as pl
import pytest
from conftest import scan_texts

from casb_pipeline.dlp import synthetic as make

RNG = random.Random(99)
AMEX = "34829103746512" + make.luhn_digit("34829103746512")
FINE_GRAINED = (
    "github_pat_"
    + "A1b2C3d4E5f6G7h8I9j0K1"
    + "_"
    + "z9Y8x7W6v5U4t3S2r1Q0p" * 2
    + "9O8n7M6l5K4j3I2h1"
)

# (detector, text with the value marked by [[ ]]). The value must be reported
# with exactly that span.
POSITIVES: list[tuple[str, str]] = [
    ("credit_card_number", "Card number: [[4539148803436467]]"),
    ("credit_card_number", "charge [[5425 2334 3010 9903]] exp 04/27"),
    ("credit_card_number", f"Amex [[{AMEX[:4]} {AMEX[4:10]} {AMEX[10:]}]] on file"),
    ("iban", f"IBAN [[GB{make.iban_check('GB', 'NWBK60161331926818')}NWBK60161331926818]]"),
    ("iban", f"Bankverbindung: [[{make.iban(RNG).replace(' ', '')}]]"),
    ("us_aba_routing", "routing number [[021000021]] for the wire"),
    ("us_ssn", "SSN: [[536-22-1234]]"),
    ("us_ssn", "social security number [[536221234]] on the form"),
    ("us_itin", "ITIN [[912-78-1234]] for the contractor"),
    ("uk_nino", "National Insurance number [[JG 10 37 28 D]]"),
    ("ca_sin", "SIN: [[130 692 544]]"),
    ("in_aadhaar", f"Aadhaar [[{make.in_aadhaar(RNG)}]]"),
    ("email_address", "write to [[maria.garcia@fabrikam-corp.com]], thanks"),
    ("email_address", "メール [[yuki.sato@northwind.io]] まで"),
    ("phone_number", "call me at [[+1 415 867 5309]]"),
    ("phone_number", "Tel: [[(212) 736-5000]]"),
    ("phone_number", "mobile [[+44 20 7946 1234]]"),
    ("phone_number", "téléphone [[01 42 68 53 00]]"),
    ("ip_address", "ssh into [[52.14.200.7]] as root"),
    ("ip_address", "client [[2a03:2880:f12f:83:face:b00c::25de]] blocked"),
    ("aws_access_key_id", "aws_access_key_id = [[AKIAZ7QH3K5M2NV4XW6T]]"),
    (
        "aws_secret_access_key",
        "aws_secret_access_key = [[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]]",
    ),
    ("github_token", f"GITHUB_TOKEN=[[{make.github_token(RNG)}]]"),
    ("github_token", f"token [[{FINE_GRAINED}]]"),
    ("gitlab_token", "GITLAB_TOKEN=[[glpat-Xk2p9QzR7mWv4Lt8NbYc]]"),
    ("slack_token", "SLACK_BOT_TOKEN=[[xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx]]"),
    (
        "slack_webhook_url",
        "webhook: [[https://hooks.slack.com/services/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]]",
    ),
    ("stripe_secret_key", "STRIPE_KEY=[[sk_live_4eC39HqLyjWDarjtT1zdp7dc9]]"),
    ("google_api_key", "GOOGLE_API_KEY=[[AIzaSyD3x9Kq7Lm2Np5Rt8Vw1Yz4Bc6Df0Gh2Jk]]"),
    ("anthropic_api_key", f"ANTHROPIC_API_KEY=[[{make.anthropic_api_key(RNG)}]]"),
    ("openai_api_key", f"OPENAI_API_KEY=[[{make.openai_api_key(RNG)}]]"),
    ("private_key", f"key file:\n[[{make.private_key(RNG)}]]\nthanks"),
    ("jwt", f"Authorization: Bearer [[{make.jwt(RNG)}]]"),
    (
        "database_connection_string",
        "DATABASE_URL=[[postgresql://svc:Xq9!fL2mPz@db-7.corp.internal:5432/orders]]",
    ),
    (
        "database_connection_string",
        "[[Server=tcp:sql1.corp.net,1433;Database=hr;User ID=app;Password=Zp4#kLq9Wx]];",
    ),
    ("password_assignment", 'db_password = "[[K8Z-y1KY#xMeFw]]"'),
    ("password_assignment", "SMTP_PASSWORD=[[s3cr3t&V4lu3!]]"),
]

# (detector, text) pairs that must not be reported as that detector.
NEGATIVES: list[tuple[str, str]] = [
    ("credit_card_number", "the card number 4539148803436468 was declined"),  # wrong check digit
    ("credit_card_number", "test card 4242 4242 4242 4242 in staging"),  # documented test card
    ("credit_card_number", "QA card 4111111111111111"),
    ("credit_card_number", "batch 20240501123045 done"),  # compact timestamp
    ("credit_card_number", "request 550e8400-e29b-41d4-a716-446655440000 failed"),  # UUID
    ("iban", "IBAN DE89370400440532013001 rejected"),  # wrong check digits
    ("iban", "IBAN DE8937040044053201300 short"),  # wrong length
    ("iban", "Example IBAN DE89 3704 0044 0532 0130 00"),  # documented example
    ("us_ssn", "SSN 000-12-3456 invalid area"),
    ("us_ssn", "SSN 666-12-3456 never issued"),
    ("us_ssn", "the dummy SSN 123-45-6789"),
    ("us_ssn", "advertising SSN 078-05-1120"),
    ("us_aba_routing", "order 021000021 shipped"),  # valid checksum, no banking context
    ("uk_nino", "NI number QQ 12 34 56 C"),  # Q is never a first letter
    ("uk_nino", "NI number GB 12 34 56 A"),  # GB prefix never issued
    ("ca_sin", "SIN 046 454 286 from the guide"),  # published example
    ("ca_sin", "SIN 130 692 545"),  # Luhn fails
    ("in_aadhaar", "Aadhaar 1234 5678 9012"),  # starts with 1
    ("email_address", "mail user@example.com for help"),
    ("email_address", "git clone git@github.com:org/repo.git"),
    ("email_address", "postgres://app:pass@db.corp.net/app"),
    ("phone_number", "call 555-0123 (fictional) or (212) 555-0142"),
    ("phone_number", "at 2024-05-01T12:30:45.123456Z"),
    ("phone_number", "ts=1714566645123"),
    ("phone_number", "pi is 3.14159265358979"),
    ("ip_address", "upgrade to version 10.2.3.4"),
    ("ip_address", "gateway 192.168.1.20 and 10.0.0.1"),
    ("ip_address", "docs use 203.0.113.9 and 2001:db8::1"),
    ("ip_address", "OID 1.3.6.1.4.1.311"),
    ("ip_address", "at 12:30:45 and MAC 00:1a:2b:3c:4d:5e"),
    ("aws_access_key_id", "AWS docs use AKIAIOSFODNN7EXAMPLE"),
    ("aws_secret_access_key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("aws_secret_access_key", "commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 on main"),  # git SHA
    ("aws_secret_access_key", "no context kU8+3zQpXv2LmN0bR7tYw9HcJ4eF1gS6aD5oP/iK here"),
    ("github_token", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    ("github_token", "GITHUB_TOKEN=ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij12"),  # 38 long
    (
        "slack_webhook_url",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    ),
    ("slack_token", "SLACK_TOKEN=xoxb-your-token-here"),
    ("stripe_secret_key", "use sk_test_4eC39HqLyjWDarjtT1zdp7dc in tests"),
    ("anthropic_api_key", "ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxx"),
    ("openai_api_key", "OPENAI_API_KEY=sk-your-key-goes-here-1234567890"),
    ("private_key", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"),
    ("jwt", "eyJub3RqdW1wIjoiMSJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmVfMTIzNDU2"),  # no alg
    ("database_connection_string", "postgres://postgres:postgres@localhost:5432/dev"),
    ("database_connection_string", "DATABASE_URL=mysql://app:${DB_PASSWORD}@db:3306/app"),
    ("password_assignment", 'password = "changeme"'),
    ("password_assignment", "API_SECRET=<your-key>"),
    ("password_assignment", "client_secret: ${SECRET}"),
    ("password_assignment", "password: str = field(default=None)"),
    ("password_assignment", "password = get_password(user)"),
    ("password_assignment", "password = settings.DB_PASSWORD"),
]


def _strip_marks(text: str) -> tuple[str, int, int]:
    start = text.index("[[")
    end = text.index("]]") - 2
    return text.replace("[[", "").replace("]]", ""), start, end


@pytest.fixture(scope="module")
def results() -> tuple[pl.DataFrame, list[str], int]:
    texts = [_strip_marks(text)[0] for _, text in POSITIVES]
    texts += [text for _, text in NEGATIVES]
    return scan_texts(texts), texts, len(POSITIVES)


@pytest.mark.parametrize(("index", "case"), list(enumerate(POSITIVES)), ids=lambda c: str(c)[:40])
def test_valid_value_is_reported_with_its_exact_span(index, case, results) -> None:
    findings, _, _ = results
    detector, marked = case
    _, start, end = _strip_marks(marked)
    mine = findings.filter(pl.col("source_id") == str(index))
    hits = mine.filter(pl.col("detector") == detector).select("start", "end").rows()
    assert (start, end) in hits, mine.select("detector", "start", "end", "confidence")


@pytest.mark.parametrize(("index", "case"), list(enumerate(NEGATIVES)), ids=lambda c: str(c)[:40])
def test_hard_negative_or_placeholder_is_not_reported(index, case, results) -> None:
    findings, _, offset = results
    detector, _ = case
    mine = findings.filter(pl.col("source_id") == str(offset + index))
    assert mine.filter(pl.col("detector") == detector).is_empty(), mine


def test_every_architecture_detector_has_positive_and_negative_cases() -> None:
    detectors = {
        "credit_card_number", "iban", "us_aba_routing", "us_ssn", "us_itin", "uk_nino",
        "ca_sin", "in_aadhaar", "email_address", "phone_number", "ip_address",
        "aws_access_key_id", "aws_secret_access_key", "github_token", "gitlab_token",
        "slack_token", "slack_webhook_url", "stripe_secret_key", "google_api_key",
        "anthropic_api_key", "openai_api_key", "private_key", "jwt",
        "database_connection_string", "password_assignment",
    }  # fmt: skip
    assert {d for d, _ in POSITIVES} == detectors
    assert {d for d, _ in NEGATIVES} <= detectors
