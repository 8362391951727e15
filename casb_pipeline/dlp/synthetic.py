"""Labelled synthetic texts: valid values with context, hard negatives, filler.

Used by the tests, the throughput benchmark and the accuracy measurement.
Values are generated valid (check digits computed here, independently of the
engine's Polars expressions); hard negatives look like values but are not
(UUIDs, git SHAs, versions, timestamps, wrong check digits, documented
examples). Every planted value is labelled with its detector and character
span. Generation is plain Python: it builds inputs, it is not the scanner.
"""

from __future__ import annotations

import base64
import json
import random
import string
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from casb_pipeline.dlp.checksums import VERHOEFF_D5, VERHOEFF_PERMUTATION

_ALNUM = string.ascii_letters + string.digits
_B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_B64 = string.ascii_letters + string.digits + "+/"
_URLSAFE = string.ascii_letters + string.digits + "_-"


def _pick(rng: random.Random, alphabet: str, count: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(count))


def luhn_digit(partial: str) -> str:
    """The check digit that makes ``partial`` + digit pass Luhn."""
    total = 0
    for index, char in enumerate(reversed(partial)):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return str((10 - total % 10) % 10)


def verhoeff_digit(partial: str) -> str:
    """The Verhoeff check digit of ``partial`` (inverse in D5 of its check)."""
    check = 0
    for index, char in enumerate(reversed(partial)):
        digit = int(char)
        for _ in range((index + 1) % 8):
            digit = VERHOEFF_PERMUTATION[digit]
        check = VERHOEFF_D5[check][digit]
    return str(next(d for d in range(10) if VERHOEFF_D5[check][d] == 0))


def iban_check(country: str, bban: str) -> str:
    """The two ISO 13616 check digits for ``country`` and ``bban``."""
    digits = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


def card_number(rng: random.Random) -> str:
    prefix, length = rng.choice(
        [
            ("4", 16),
            ("51", 16),
            ("55", 16),
            ("2221", 16),
            ("34", 15),
            ("37", 15),
            ("6011", 16),
            ("3530", 16),
            ("4", 19),
        ]
    )
    body = prefix + _pick(rng, string.digits, length - len(prefix) - 1)
    number = body + luhn_digit(body)
    if length == 16 and rng.random() < 0.5:
        return " ".join(number[i : i + 4] for i in range(0, 16, 4))
    return number


def iban(rng: random.Random) -> str:
    country, bban = rng.choice(
        [
            ("DE", _pick(rng, string.digits, 18)),
            ("GB", _pick(rng, string.ascii_uppercase, 4) + _pick(rng, string.digits, 14)),
            ("FR", _pick(rng, string.digits, 23)),
            ("NL", _pick(rng, string.ascii_uppercase, 4) + _pick(rng, string.digits, 10)),
            ("ES", _pick(rng, string.digits, 20)),
        ]
    )
    compact = country + iban_check(country, bban) + bban
    if rng.random() < 0.5:
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


def us_ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def us_itin(rng: random.Random) -> str:
    group = rng.choice([*range(70, 89), 90, 91, 92, *range(94, 100)])
    return f"9{rng.randint(0, 99):02d}-{group}-{rng.randint(1, 9999):04d}"


def uk_nino(rng: random.Random) -> str:
    first = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    while first + second in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
        second = rng.choice("ABCEGHJKLMNPRSTWXY")
    digits = _pick(rng, string.digits, 6)
    return f"{first}{second} {digits[:2]} {digits[2:4]} {digits[4:]} {rng.choice('ABCD')}"


def ca_sin(rng: random.Random) -> str:
    body = rng.choice("1234567") + _pick(rng, string.digits, 7)
    number = body + luhn_digit(body)
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def in_aadhaar(rng: random.Random) -> str:
    body = rng.choice("23456789") + _pick(rng, string.digits, 10)
    number = body + verhoeff_digit(body)
    return f"{number[:4]} {number[4:8]} {number[8:]}"


def aba_routing(rng: random.Random) -> str:
    body = f"{rng.choice([*range(1, 13), *range(21, 33)]):02d}" + _pick(rng, string.digits, 6)
    total = sum(int(d) * w for d, w in zip(body, (3, 7, 1, 3, 7, 1, 3, 7), strict=True))
    return body + str((10 - total % 10) % 10)


def email_address(rng: random.Random) -> str:
    first = rng.choice(["maria", "chen", "olivia", "arjun", "lucas", "fatima", "noah", "yuki"])
    last = rng.choice(["garcia", "wang", "smith", "patel", "muller", "haddad", "kim", "sato"])
    domain = rng.choice(["fabrikam-corp.com", "northwind.io", "gmail.com", "tailspin.co.uk"])
    return f"{first}.{last}{rng.randint(1, 99)}@{domain}"


def phone_number(rng: random.Random) -> str:
    npa = f"{rng.randint(2, 9)}{rng.randint(0, 8)}{rng.randint(2, 9)}"
    nxx = f"{rng.randint(2, 9)}{rng.randint(2, 9)}{rng.randint(0, 9)}"
    line = f"{rng.randint(200, 9999):04d}"
    return rng.choice(
        [
            f"+1 {npa} {nxx} {line}",
            f"({npa}) {nxx}-{line}",
            f"{npa}-{nxx}-{line}",
            f"+44 20 {rng.randint(3000, 8999)} {rng.randint(1000, 9999)}",
            "+33 6 " + " ".join(str(rng.randint(10, 99)) for _ in range(4)),
        ]
    )


def ip_address(rng: random.Random) -> str:
    if rng.random() < 0.2:
        groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(4)]
        return "2a03:2880:" + ":".join(groups) + "::" + f"{rng.randint(1, 0xFFFF):x}"
    first = rng.choice([3, 13, 18, 23, 34, 35, 45, 52, 54, 63, 81, 93, 104, 151, 185, 212])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def aws_access_key_id(rng: random.Random) -> str:
    return "AKIA" + _pick(rng, string.ascii_uppercase + "234567", 16)


def aws_secret_access_key(rng: random.Random) -> str:
    return _pick(rng, _B64, 40)


def github_token(rng: random.Random) -> str:
    random_part = _pick(rng, _ALNUM, 30)
    crc = zlib.crc32(random_part.encode())
    check = ""
    for _ in range(6):
        crc, digit = divmod(crc, 62)
        check = _B62[digit] + check
    return "ghp_" + random_part + check


def gitlab_token(rng: random.Random) -> str:
    return "glpat-" + _pick(rng, _URLSAFE, 20)


def slack_token(rng: random.Random) -> str:
    workspace, bot = _pick(rng, string.digits, 12), _pick(rng, string.digits, 13)
    return f"xoxb-{workspace}-{bot}-{_pick(rng, _ALNUM, 24)}"


def slack_webhook_url(rng: random.Random) -> str:
    upper = string.ascii_uppercase + string.digits
    return (
        f"https://hooks.slack.com/services/T{_pick(rng, upper, 10)}/B{_pick(rng, upper, 10)}/"
        f"{_pick(rng, _ALNUM, 24)}"
    )


def stripe_secret_key(rng: random.Random) -> str:
    return "sk_live_" + _pick(rng, _ALNUM, 24)


def google_api_key(rng: random.Random) -> str:
    return "AIza" + _pick(rng, _URLSAFE, 35)


def anthropic_api_key(rng: random.Random) -> str:
    return "sk-ant-api03-" + _pick(rng, _URLSAFE, 93) + "AA"


def openai_api_key(rng: random.Random) -> str:
    return "sk-proj-" + _pick(rng, _ALNUM, 20) + "T3BlbkFJ" + _pick(rng, _ALNUM, 20)


def private_key(rng: random.Random) -> str:
    lines = [_pick(rng, _B64, 64) for _ in range(8)]
    return (
        "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----"
    )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(rng: random.Random) -> str:
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps({"sub": str(rng.randint(1, 10**9)), "iat": 1700000000}).encode())
    return f"{header}.{payload}.{_pick(rng, _URLSAFE, 43)}"


def password(rng: random.Random) -> str:
    return _pick(rng, _ALNUM, 6) + rng.choice("!#%*+-=?") + _pick(rng, _ALNUM, 6)


def database_connection_string(rng: random.Random) -> str:
    return f"postgresql://app_user:{password(rng)}@db-{rng.randint(1, 99)}.corp.internal:5432/app"


@dataclass(frozen=True)
class Plant:
    """How a detector's value appears in text: a maker and templates around it."""

    make: Callable[[random.Random], str]
    templates: tuple[str, ...]


PLANTS: dict[str, Plant] = {
    "credit_card_number": Plant(
        card_number, ("Card number: {v}", "charge {v} exp 09/28", "Paid with {v}.")
    ),
    "iban": Plant(iban, ("IBAN {v}", "Bankverbindung: {v}", "virement sur {v} merci")),
    "us_aba_routing": Plant(aba_routing, ("routing number {v}", "ABA {v} for the wire")),
    "us_ssn": Plant(us_ssn, ("SSN: {v}", "social security number {v}", "Employee {v} onboarding")),
    "us_itin": Plant(us_itin, ("ITIN {v}", "taxpayer id (ITIN): {v}")),
    "uk_nino": Plant(uk_nino, ("NI number {v}", "National Insurance: {v}")),
    "ca_sin": Plant(ca_sin, ("SIN: {v}", "numéro d'assurance sociale {v}")),
    "in_aadhaar": Plant(in_aadhaar, ("Aadhaar {v}", "आधार संख्या {v}", "UID {v}")),
    "email_address": Plant(email_address, ("write to {v}", "Contact: {v}.", "メール {v} まで")),
    "phone_number": Plant(phone_number, ("call me at {v}", "Tel: {v}", "mobile {v}")),
    "ip_address": Plant(
        ip_address, ("ssh into {v} as root", "client IP {v} blocked", "server {v}")
    ),
    "aws_access_key_id": Plant(aws_access_key_id, ("aws_access_key_id = {v}", "key {v}")),
    "aws_secret_access_key": Plant(
        aws_secret_access_key, ("aws_secret_access_key = {v}", "AWS secret: {v}")
    ),
    "github_token": Plant(github_token, ("GITHUB_TOKEN={v}", "use token {v} for the push")),
    "gitlab_token": Plant(gitlab_token, ("GITLAB_TOKEN={v}", "PAT {v}")),
    "slack_token": Plant(slack_token, ("SLACK_BOT_TOKEN={v}", "bot token {v}")),
    "slack_webhook_url": Plant(slack_webhook_url, ("webhook: {v}", "curl -X POST {v}")),
    "stripe_secret_key": Plant(stripe_secret_key, ("STRIPE_KEY={v}", "stripe.api_key = '{v}'")),
    "google_api_key": Plant(google_api_key, ("maps key {v}", "GOOGLE_API_KEY={v}")),
    "anthropic_api_key": Plant(anthropic_api_key, ("ANTHROPIC_API_KEY={v}", "key: {v}")),
    "openai_api_key": Plant(openai_api_key, ("OPENAI_API_KEY={v}", "openai key {v}")),
    "private_key": Plant(private_key, ("key file:\n{v}\n", "```\n{v}\n```")),
    "jwt": Plant(jwt, ("Authorization: Bearer {v}", "token={v}")),
    "database_connection_string": Plant(
        database_connection_string, ("DATABASE_URL={v}", "connect to {v} and")
    ),
    "password_assignment": Plant(
        password, ('db_password = "{v}"', "SMTP_PASSWORD={v}", "  password: {v}")
    ),
}


def _uuid(rng: random.Random) -> str:
    """A version-4 UUID whose last group is all digits (a 12-digit run)."""
    hexits = "0123456789abcdef"
    head = f"{_pick(rng, hexits, 8)}-{_pick(rng, hexits, 4)}-4{_pick(rng, hexits, 3)}"
    return f"{head}-a{_pick(rng, hexits, 3)}-{_pick(rng, string.digits, 12)}"


def _random_uuid(rng: random.Random) -> str:
    hexits = _pick(rng, "0123456789abcdef", 32)
    return f"{hexits[:8]}-{hexits[8:12]}-4{hexits[13:16]}-a{hexits[17:20]}-{hexits[20:]}"


def _version(rng: random.Random) -> str:
    return ".".join(str(rng.randint(0, 20)) for _ in range(4))


def _timestamp(rng: random.Random) -> str:
    day = f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    return f"{day}T1{rng.randint(0, 9)}:3{rng.randint(0, 9)}:00.{_pick(rng, string.digits, 6)}Z"


def _bad_card(rng: random.Random) -> str:
    body = "4" + _pick(rng, string.digits, 14)
    return body + str((int(luhn_digit(body)) + 1 + rng.randint(0, 8)) % 10)


TEMPLATE_SECRETS = (
    'password = "changeme"',
    "API_SECRET=<your-key>",
    "client_secret: ${SECRET}",
    "password: str",
)

# Text that looks sensitive and is not: must never be reported at medium or above.
HARD_NEGATIVES: tuple[Callable[[random.Random], str], ...] = (
    lambda rng: f"request {_uuid(rng)} failed",
    lambda rng: f"commit {_pick(rng, '0123456789abcdef', 40)} on main",
    lambda rng: f"upgrade to version {_version(rng)}",
    lambda rng: f"at {_timestamp(rng)}",
    lambda rng: f"ts={rng.randint(1600000000000, 1800000000000)}",
    lambda rng: f"the card number {_bad_card(rng)} was declined",
    lambda rng: "docs key AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    lambda rng: "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    lambda rng: rng.choice(TEMPLATE_SECRETS),
    lambda rng: rng.choice(["test card 4242 4242 4242 4242", "QA card 4111111111111111"]),
    lambda rng: f"gateway 192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)} and 10.0.0.1",
    lambda rng: f"call 555-01{rng.randint(0, 99):02d} (fictional) or user@example.com",
    lambda rng: f"order #{rng.randint(10000000, 99999999)} total 1,299.00",
    lambda rng: f"IBAN DE00{_pick(rng, string.digits, 18)} rejected",
    lambda rng: f"pi = 3.{_pick(rng, string.digits, 15)}",
    lambda rng: f"/api/v1/users/{rng.randint(10**11, 10**12)}/orders",
)

FILLER = (
    "The quarterly review is on Thursday; please bring the updated roadmap.",
    "Can you summarise the attached document in three bullet points?",
    "Le rapport final doit être envoyé avant vendredi, merci de vérifier les chiffres.",
    "Bitte überprüfen Sie die Konfiguration, bevor Sie die Änderungen übernehmen.",
    "会議の議事録を来週までに共有してください。よろしくお願いします。",
    "请在周五之前完成数据迁移，并通知相关团队。",
    "Пожалуйста, проверьте журнал ошибок после развертывания.",
    "Great work on the launch 🎉🚀 — the dashboard looks much faster now 😀",
    "def handler(event, context):\n    items = [x for x in event['items'] if x]\n"
    "    return {'count': len(items)}",
    "SELECT user_id, count(*) AS n FROM events WHERE day >= '2024-05-01' GROUP BY 1;",
    '{"level": "info", "msg": "request served", "status": 200, "duration_ms": 41}',
    "Step 3 of 7: run the migration, then restart the worker pool (2 replicas).",
    "El cliente pidió una demostración del producto el martes a las 10:30.",
    "Merge branch 'feature/search' into main; fixes #4821 and #4822.",
)


def _filler(rng: random.Random) -> str:
    return rng.choice(FILLER)


def labelled_corpus(
    rows: int, seed: int = 7, plant_rate: float = 0.5
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``rows`` texts (columns ``id``, ``text``) and the labels of every planted
    value (``source_id``, ``detector``, ``start``, ``end``).

    Each text mixes filler sentences, hard negatives and, with probability
    ``plant_rate`` per slot, a planted value in one of its detector's templates.
    """
    rng = random.Random(seed)
    detectors = sorted(PLANTS)
    texts, labels = [], []
    for row in range(rows):
        source_id = f"t{row}"
        parts: list[str] = []
        length = 0
        for _ in range(rng.randint(2, 8)):
            roll = rng.random()
            if roll < plant_rate:
                detector = rng.choice(detectors)
                plant = PLANTS[detector]
                value = plant.make(rng)
                before, after = rng.choice(plant.templates).split("{v}")
                start = length + len(before)
                labels.append((source_id, detector, start, start + len(value)))
                piece = before + value + after
            elif roll < plant_rate + 0.2:
                piece = rng.choice(HARD_NEGATIVES)(rng)
            else:
                piece = _filler(rng)
            parts.append(piece)
            length += len(piece) + 1
        texts.append((source_id, "\n".join(parts)))
    frame = pl.DataFrame(texts, schema={"id": pl.String, "text": pl.String}, orient="row")
    label_frame = pl.DataFrame(
        labels,
        schema={"source_id": pl.String, "detector": pl.String, "start": pl.Int64, "end": pl.Int64},
        orient="row",
    )
    return frame, label_frame


_VOCABULARY = (
    "the report deploy customer invoice meeting schedule review budget server cluster"
    " latency error retry config branch release ticket summary draft contract policy"
    " analysis dataset pipeline vendor payment refund migration backup access account"
    " rapport réunion client facture données Bericht Kunde Rechnung Daten Zugriff"
    " 報告 会議 顧客 請求書 数据 客户 报告 отчёт клиент данные"
)
_WORDS = tuple(_VOCABULARY.split())


def _prose(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(6, 24))
    return " ".join(words).capitalize() + rng.choice([".", "?", "!", " 🙂", "."])


def _log_line(rng: random.Random) -> str:
    return (
        f"{_timestamp(rng)} {rng.choice(['INFO', 'WARN', 'ERROR'])} request_id={_random_uuid(rng)} "
        f"status={rng.choice([200, 201, 404, 500])} took={rng.randint(1, 900)}ms "
        f"peer=10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    )


def _code_line(rng: random.Random) -> str:
    name = rng.choice(["total", "items", "user_id", "retries", "offset"])
    return rng.choice(
        [
            f"    {name} = compute_{name}(batch, limit={rng.randint(1, 5000)})",
            f"if {name} > {rng.randint(0, 99)}: logger.debug('{name} %s', {name})",
            f"SELECT {name}, count(*) FROM events WHERE day = '2024-0{rng.randint(1, 9)}-15';",  # noqa: S608 (sample text)
            f'{{"{name}": {rng.randint(0, 10**6)}, "version": "{_version(rng)}"}}',
        ]
    )


def benchmark_corpus(
    target_bytes: int, seed: int = 7, sensitive_rate: float = 0.02
) -> pl.DataFrame:
    """Chat-like texts (columns ``id``, ``text``) totalling at least
    ``target_bytes`` of UTF-8: prose in several languages, logs, code, hard
    negatives, and a planted value on ``sensitive_rate`` of the lines.

    A pool of distinct texts is generated, then repeated with fresh ids: the
    regex engines keep no state between rows, so repetition does not flatter
    the throughput figures.
    """
    rng = random.Random(seed)
    makers = (_prose, _prose, _prose, _log_line, _code_line, _filler)
    detectors = sorted(PLANTS)
    pool = []
    for _ in range(4000):
        lines = []
        for _ in range(rng.randint(3, 40)):
            roll = rng.random()
            if roll < sensitive_rate:
                plant = PLANTS[rng.choice(detectors)]
                lines.append(rng.choice(plant.templates).format(v=plant.make(rng)))
            elif roll < sensitive_rate + 0.05:
                lines.append(rng.choice(HARD_NEGATIVES)(rng))
            else:
                lines.append(rng.choice(makers)(rng))
        pool.append("\n".join(lines))
    texts = pl.Series("text", pool, dtype=pl.String)
    repeats = -(-target_bytes // int(texts.str.len_bytes().sum()))
    column = pl.concat([texts] * repeats)
    return pl.DataFrame({"id": [f"m{i}" for i in range(column.len())], "text": column})


def luhn_valid(number: str) -> bool:
    """Plain-Python Luhn check (reference for tests and the benchmark floor)."""
    return luhn_digit(number[:-1]) == number[-1] if number.isdigit() and number else False


def mod97_valid(iban: str) -> bool:
    """Plain-Python ISO 13616 check (reference for tests and the benchmark floor)."""
    compact = iban.replace(" ", "")
    if not compact.isalnum():
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1
