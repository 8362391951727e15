"""Sensitive values that pass the validators real detectors apply.

Every generator takes a seeded ``random.Random`` so the random parts (digits,
token bodies) are high-entropy yet reproducible. Checksums follow the
issuers' rules: Luhn (cards, Canadian SIN), ISO 13616 mod-97 (IBAN), the ABA
3-7-1 weights, Verhoeff (Aadhaar), GitHub's CRC32 suffix on classic tokens.
"""

from __future__ import annotations

import base64
import json
import random
import string
import zlib

DIGITS = string.digits
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase

WELL_KNOWN_TEST_CARDS = frozenset(
    {
        "4111111111111111",
        "4242424242424242",
        "4012888888881881",
        "5555555555554444",
        "5105105105105100",
        "378282246310005",
        "371449635398431",
        "6011111111111117",
    }
)


def pick(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass Luhn."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def card_number(rng: random.Random) -> str:
    """A Luhn-valid number with a real IIN prefix and that brand's length, grouped."""
    brand = rng.choice(("visa", "visa", "mastercard", "mastercard2", "amex", "discover"))
    prefix, length = {
        "visa": ("4" + pick(rng, "0123456789", 5), 16),
        "mastercard": (str(rng.randint(51, 55)), 16),
        "mastercard2": (str(rng.randint(2221, 2720)), 16),
        "amex": (rng.choice(("34", "37")), 15),
        "discover": ("6011", 16),
    }[brand]
    while True:
        payload = prefix + pick(rng, DIGITS, length - len(prefix) - 1)
        number = payload + luhn_check_digit(payload)
        if number not in WELL_KNOWN_TEST_CARDS:
            break
    if length == 15:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    sep = rng.choice((" ", "-", ""))
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


def luhn_invalid_card(rng: random.Random) -> str:
    payload = "4" + pick(rng, DIGITS, 14)
    good = int(luhn_check_digit(payload))
    bad = (good + rng.randint(1, 9)) % 10
    number = payload + str(bad)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


_IBAN_LAYOUT = {  # country: total length of the IBAN
    "DE": 22,
    "FR": 27,
    "ES": 24,
    "NL": 18,
    "GB": 22,
    "IT": 27,
}


def _iban_bban(rng: random.Random, country: str) -> str:
    if country == "NL":
        return pick(rng, string.ascii_uppercase, 4) + pick(rng, DIGITS, 10)
    if country == "GB":
        return pick(rng, string.ascii_uppercase, 4) + pick(rng, DIGITS, 14)
    if country == "IT":
        return rng.choice(string.ascii_uppercase) + pick(rng, DIGITS, 22)
    return pick(rng, DIGITS, _IBAN_LAYOUT[country] - 4)


def _iban_check(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    numeric = "".join(str(int(char, 36)) for char in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def iban(rng: random.Random, *, valid: bool = True) -> str:
    """An IBAN of the country's length with correct (or, for decoys, wrong) check digits."""
    country = rng.choice(sorted(_IBAN_LAYOUT))
    bban = _iban_bban(rng, country)
    check = _iban_check(country, bban)
    if not valid:  # shift within 02..98 by 1..95 steps: never the right value again
        check = f"{(int(check) - 2 + rng.randint(1, 95)) % 97 + 2:02d}"
    raw = country + check + bban
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def aba_routing(rng: random.Random) -> str:
    first_two = rng.choice([*range(1, 13), *range(21, 33), *range(61, 73), 80])
    digits = [int(c) for c in f"{first_two:02d}" + pick(rng, DIGITS, 6)]
    weighted = 3 * (digits[0] + digits[3] + digits[6]) + 7 * (digits[1] + digits[4] + digits[7])
    weighted += digits[2] + digits[5]
    return "".join(map(str, digits)) + str((10 - weighted % 10) % 10)


def us_ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def invalid_ssn(rng: random.Random) -> str:
    area = rng.choice((0, 666, rng.randint(900, 999)))
    group = rng.randint(10, 69)  # outside every ITIN group range
    return f"{area:03d}-{group:02d}-{rng.randint(1, 9999):04d}"


def us_itin(rng: random.Random) -> str:
    group = rng.choice([*range(70, 89), *range(90, 93), *range(94, 100)])
    return f"9{rng.randint(0, 99):02d}-{group:02d}-{rng.randint(1, 9999):04d}"


_NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NINO_BANNED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def uk_nino(rng: random.Random) -> str:
    while True:
        prefix = rng.choice(_NINO_FIRST) + rng.choice(_NINO_SECOND)
        if prefix not in _NINO_BANNED:
            break
    digits = pick(rng, DIGITS, 6)
    suffix = rng.choice("ABCD")
    if rng.random() < 0.5:
        return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
    return f"{prefix}{digits}{suffix}"


def ca_sin(rng: random.Random) -> str:
    payload = str(rng.randint(1, 7)) + pick(rng, DIGITS, 7)
    number = payload + luhn_check_digit(payload)
    return f"{number[:3]} {number[3:6]} {number[6:]}"


_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_VERHOEFF_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)


def verhoeff_check_digit(payload: str) -> str:
    check = 0
    for position, char in enumerate(reversed(payload)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[(position + 1) % 8][int(char)]]
    return str(_VERHOEFF_INV[check])


def aadhaar(rng: random.Random) -> str:
    payload = str(rng.randint(2, 9)) + pick(rng, DIGITS, 10)
    number = payload + verhoeff_check_digit(payload)
    return f"{number[:4]} {number[4:8]} {number[8:]}"


_FIRST_NAMES = ("maria", "jonas", "aiko", "lucas", "amara", "pierre", "sofia", "omar", "hannah")
_LAST_NAMES = ("keller", "okafor", "tanaka", "moreau", "garcia", "lindqvist", "novak", "reyes")
_MAIL_DOMAINS = ("gmail.com", "outlook.com", "proton.me", "web.de", "orange.fr", "yahoo.co.jp")


def email(rng: random.Random) -> str:
    user = f"{rng.choice(_FIRST_NAMES)}.{rng.choice(_LAST_NAMES)}{rng.randint(2, 98)}"
    return f"{user}@{rng.choice(_MAIL_DOMAINS)}"


def phone(rng: random.Random) -> str:
    """E.164 or national format, with area codes and exchanges that exist."""
    style = rng.randrange(5)
    if style == 0:
        npa, nxx = rng.choice((212, 312, 415, 617, 646, 718)), rng.randint(201, 989)
        return f"+1 {npa} {nxx} {rng.randint(1000, 9999)}"
    if style == 1:
        npa, nxx = rng.choice((206, 303, 404, 512, 702)), rng.randint(201, 989)
        return f"({npa}) {nxx}-{rng.randint(1000, 9999)}"
    if style == 2:
        return f"+44 20 3{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    if style == 3:
        pairs = " ".join(f"{rng.randint(10, 99)}" for _ in range(4))
        return f"+33 {rng.randint(1, 5)} {pairs}"
    return f"+49 30 {rng.randint(2000000, 9999999)}"


_PUBLIC_FIRST_OCTETS = (23, 34, 35, 44, 52, 54, 81, 91, 104, 141, 151, 185, 193, 212)


def public_ip(rng: random.Random) -> str:
    if rng.random() < 0.2:
        groups = ":".join(f"{rng.randint(1, 0xFFFF):x}" for _ in range(4))
        return f"2a01:4f8:{rng.randint(0x100, 0xFFF):x}:{rng.randint(1, 0xFFF):x}:{groups}"
    return (
        f"{rng.choice(_PUBLIC_FIRST_OCTETS)}.{rng.randint(1, 254)}."
        f"{rng.randint(0, 254)}.{rng.randint(1, 254)}"
    )


def aws_access_key_id(rng: random.Random) -> str:
    return "AKIA" + pick(rng, string.ascii_uppercase + "234567", 16)


def aws_secret_access_key(rng: random.Random) -> str:
    return pick(rng, ALNUM + "/+", 40)


def _base62(number: int, width: int) -> str:
    chars = []
    while number:
        number, rest = divmod(number, 62)
        chars.append(BASE62[rest])
    return "".join(reversed(chars)).rjust(width, "0")


def github_token(rng: random.Random) -> str:
    if rng.random() < 0.6:
        body = pick(rng, ALNUM, 30)
        return "ghp_" + body + _base62(zlib.crc32(body.encode()), 6)
    return "github_pat_" + pick(rng, ALNUM, 22) + "_" + pick(rng, ALNUM, 59)


def gitlab_token(rng: random.Random) -> str:
    return "glpat-" + pick(rng, URLSAFE, 20)


def slack_token(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"xoxb-{pick(rng, DIGITS, 12)}-{pick(rng, DIGITS, 13)}-{pick(rng, ALNUM, 24)}"
    return (
        f"xoxp-{pick(rng, DIGITS, 12)}-{pick(rng, DIGITS, 12)}-{pick(rng, DIGITS, 13)}-"
        f"{pick(rng, '0123456789abcdef', 32)}"
    )


def slack_webhook(rng: random.Random) -> str:
    upper = string.ascii_uppercase + DIGITS
    return (
        f"https://hooks.slack.com/services/T0{pick(rng, upper, 8)}/B0{pick(rng, upper, 9)}/"
        f"{pick(rng, ALNUM, 24)}"
    )


def stripe_secret_key(rng: random.Random) -> str:
    return "sk_live_" + pick(rng, ALNUM, rng.choice((24, 99)))


def google_api_key(rng: random.Random) -> str:
    return "AIza" + pick(rng, URLSAFE, 35)


def anthropic_api_key(rng: random.Random) -> str:
    return "sk-ant-api03-" + pick(rng, URLSAFE, 93) + "AA"


def openai_api_key(rng: random.Random) -> str:
    return "sk-proj-" + pick(rng, URLSAFE, 58) + "T3BlbkFJ" + pick(rng, URLSAFE, 58)


_PEM_KINDS = {
    "RSA PRIVATE KEY": b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00",
    "PRIVATE KEY": b"\x30\x82\x04\xbe\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48",
    "EC PRIVATE KEY": b"\x30\x77\x02\x01\x01\x04\x20",
}


def private_key(rng: random.Random) -> str:
    label = rng.choice(sorted(_PEM_KINDS))
    size = 118 if label.startswith("EC") else 600
    body = _PEM_KINDS[label] + rng.randbytes(size)
    encoded = base64.b64encode(body).decode()
    lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"])


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(rng: random.Random) -> str:
    header = {"alg": rng.choice(("HS256", "RS256")), "typ": "JWT"}
    issued = rng.randint(1_735_000_000, 1_790_000_000)
    claims = {
        "sub": f"{rng.randint(10**8, 10**9)}",
        "scope": rng.choice(("orders:write", "admin", "reports:read")),
        "iat": issued,
        "exp": issued + 3600,
    }
    signature = rng.randbytes(32 if header["alg"] == "HS256" else 256)
    parts = (json.dumps(header).encode(), json.dumps(claims).encode(), signature)
    return ".".join(_b64url(part) for part in parts)


_SYMBOLS = "!#%&*+-=?@^_~"


def password(rng: random.Random) -> str:
    chars = [
        rng.choice(string.ascii_uppercase),
        rng.choice(string.ascii_lowercase),
        rng.choice(DIGITS),
        rng.choice(_SYMBOLS),
        *(rng.choice(ALNUM + _SYMBOLS) for _ in range(rng.randint(8, 12))),
    ]
    rng.shuffle(chars)
    return "".join(chars)


def url_password(rng: random.Random) -> str:
    return pick(rng, ALNUM, 10) + rng.choice("-_.~") + pick(rng, ALNUM, 5)


def connection_string(rng: random.Random, domain: str) -> str:
    secret = url_password(rng)
    kind = rng.randrange(3)
    if kind == 0:
        return f"postgresql://svc_orders:{secret}@orders-db.{domain}:5432/orders"
    if kind == 1:
        host = f"cluster0.{pick(rng, string.ascii_lowercase + DIGITS, 5)}.mongodb.net"
        return f"mongodb+srv://analytics:{secret}@{host}/reporting"
    return f"mysql://hr_app:{secret}@mysql-hr.{domain}:3306/people"


def uuid_with_numeric_tail(rng: random.Random) -> str:
    hexd = "0123456789abcdef"
    return (
        f"{pick(rng, hexd, 8)}-{pick(rng, hexd, 4)}-4{pick(rng, hexd, 3)}-"
        f"{rng.choice('89ab')}{pick(rng, hexd, 3)}-{rng.randint(2, 9)}{pick(rng, DIGITS, 11)}"
    )


def git_sha(rng: random.Random) -> str:
    return pick(rng, "0123456789abcdef", 40)


def version_string(rng: random.Random) -> str:
    return (
        f"{rng.randint(2, 9)}.{rng.randint(10, 40)}.{rng.randint(1, 9)}.{rng.randint(1000, 4999)}"
    )


def epoch_millis(rng: random.Random) -> str:
    return str(rng.randint(1_735_000_000_000, 1_790_000_000_000))


def compact_timestamp(rng: random.Random) -> str:
    return (
        f"20{rng.randint(25, 26)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}"
    )
