"""The shared candidate passes over the text column.

Instead of one regex pass per detector, the engine runs a handful of passes,
each collecting candidates for several detectors at once; detectors then
classify and validate the (few) candidates with anchored patterns and
check-digit expressions. The passes are written for the regex crate's fast
paths: ASCII classes and ASCII word boundaries (``(?-u:\\b)``) for the
digit-shaped pass, literal prefixes for the token pass, keyword-led patterns
for assignments; the passes with slower Unicode patterns (e-mail, IPv6,
key=value connection strings, AWS secrets) only see rows that pass a cheap
literal filter first (``@``, ``::``, ``password``, ``aws``).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from casb_pipeline.dlp.detectors.base import glued


@dataclass(frozen=True)
class Scanner:
    """One pass (see :func:`casb_pipeline.dlp.locate.locate` for the value
    groups a ``pattern`` may name). Only rows matching ``row_filter``, when
    given, are searched; candidates for which ``drop`` (an expression over
    ``value``, ``before`` and ``after``) holds are discarded before any
    detector sees them. A ``dense`` pass matches in most texts, so texts are
    not first checked for a match (see ``skip_rows`` of ``locate``).

    ``parts``, when given, are quicker passes that together search for the
    alternatives of ``pattern``; where their matches do not overlap they are
    exactly the matches of ``pattern`` (see
    :func:`casb_pipeline.dlp.candidates.find_candidates`)."""

    name: str
    pattern: str
    row_filter: str | None = None
    drop: pl.Expr | None = None
    dense: bool = False
    parts: tuple[Scanner, ...] = ()


_B = r"(?-u:\b)"
_HEX = "[0-9A-Fa-f]{1,4}"

# Digit-shaped values and the IDs that mix letters and digits. Alternatives are
# tried in this order at each position, longest shapes first, and the ASCII
# word boundary at the end lets a run of space-separated numbers split at
# group boundaries instead of swallowing its neighbours.
_ANY_V4 = r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}"
# IPv4 outside private, loopback, link-local, multicast and reserved space:
# first octets other than 0, 10, 127 and 224-255; 169, 172 and 192 only
# outside 169.254, 172.16-31 and 192.168. Used when private addresses (low
# confidence) cannot be reported, so the many in logs are not even extracted.
_PUBLIC_V4 = (
    r"(?:(?:[1-9]|1[1-9]|[2-9][0-9]|1[01][0-9]|12[0-6]|12[89]|1[3-5][0-9]|16[0-8]|17[013-9]"
    r"|18[0-9]|19[013-9]|2[01][0-9]|22[0-3])\.[0-9]{1,3}"
    r"|169\.(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-35])"
    r"|172\.(?:[0-9]|1[0-5]|3[2-9]|[4-9][0-9]|1[0-9]{2}|2[0-9]{2})"
    r"|192\.(?:[0-9]|[1-9][0-9]|1[0-5][0-9]|16[0-79]|1[7-9][0-9]|2[0-9]{2}))\.[0-9]{1,3}\.[0-9]{1,3}"
)
_NUMERIC_SHAPES = (
    r"[0-9]{4}[ \-][0-9]{4}[ \-][0-9]{4}[ \-][0-9]{4}(?:[ \-]?[0-9]{1,3})?",  # cards 4-4-4-4(-3)
    r"[0-9]{4}[ \-][0-9]{6}[ \-][0-9]{4,5}",  # cards 4-6-5 and 4-6-4
    r"[0-9]{4}[ \-][0-9]{4}[ \-][0-9]{4}",  # Aadhaar, 12-digit numbers
    r"[0-9]{3}[ \-][0-9]{2}[ \-][0-9]{4}",  # SSN, ITIN
    r"1[ .\-][0-9]{3}[ .\-][0-9]{3}[ .\-][0-9]{4}",  # NANP with trunk 1
    r"[0-9]{3}[ \-][0-9]{3}[ \-][0-9]{3,4}",  # SIN, NANP
    r"[0-9]{3}\.[0-9]{3}\.[0-9]{4}",  # NANP with dots
    r"0[0-9]{1,4}(?:[ .\-]?[0-9]{2,4}){2,4}",  # national numbers with trunk 0
    r"[0-9]{8,19}",  # bare digit runs
    r"[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?",  # IBAN
    r"[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]",  # UK NINO
)
_NUMERIC_UNBOUNDED = (
    r"\+[1-9][0-9]{0,2}(?:[ .\-]?\(?[0-9]{1,5}\)?){1,6}",  # E.164 and international
    r"\([0-9]{2,5}\) ?[0-9]{3,4}[ .\-]?[0-9]{3,4}",  # (415) 555-2671
)


def numeric(private_ipv4: bool = True) -> Scanner:
    """The digit-shaped pass; IPv4 addresses first, every one or public ones."""
    shapes = (_ANY_V4 if private_ipv4 else _PUBLIC_V4, *_NUMERIC_SHAPES)
    alternatives = "(?:" + _B + "(?:" + "|".join(shapes) + ")|" + "|".join(_NUMERIC_UNBOUNDED) + ")"
    return Scanner("numeric", alternatives + _B, drop=glued(), dense=True)


# IPv6 addresses: full form, with "::", or starting with "::". Hex and colons
# are everywhere in code and logs, so rows must first show "::" or three
# colon-separated hex groups (a filter with a literal first byte).
IPV6 = Scanner(
    "ipv6",
    rf"(?-u)(?:{_B}(?:{_HEX}(?::{_HEX}){{7}}|(?:{_HEX}:){{1,7}}:(?:{_HEX}(?::{_HEX}){{0,6}})?)"
    rf"|::{_HEX}(?::{_HEX}){{0,6}}){_B}",
    row_filter=rf"(?-u)::|:{_HEX}:{_HEX}:{_HEX}:",
    drop=glued(),
)

_DB_SCHEMES = (
    "postgres|postgresql|mysql|mariadb|mongodb|mongodb\\+srv|redis|rediss|amqp|amqps"
    "|mssql|sqlserver|oracle|clickhouse|cockroachdb|couchdb|neo4j|cassandra"
)
_PEM_BEGIN = r"-----BEGIN[A-Z0-9 ]{0,20} PRIVATE KEY(?: BLOCK)?-----"
_PEM_END = r"-----END[A-Z0-9 ]{0,20} PRIVATE KEY(?: BLOCK)?-----"
# Body of a block cut before its END line: base64 lines, header lines and
# literal "\n" escapes as found in JSON.
_PEM_BODY = r"(?:(?:\r?\n|\\n)[ \t]*(?:[A-Za-z0-9+/=]{4,}|[A-Za-z\-]+: [^\r\n\\]*))*"

_DB_URL = (
    rf"(?:{_DB_SCHEMES})(?:\+[a-z0-9]+)?://[^\s:/@'\"<>]+:[^\s@/'\"<>]+@[^\s/?#'\"<>,;)]+"
    r"(?:[/?](?:[^\s'\"<>]*[A-Za-z0-9_/=&\-])?)?"
)
# Credentials whose issuers give them a literal prefix. Unicode mode is kept
# for the few negated classes: the literal prefixes drive the speed.
_TOKEN_SHAPES = (
    r"gh[pousr]_[A-Za-z0-9]{36}",
    r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
    r"gl(?:pat|dt|rt|ptt|oas|cbt|imt|agent|soat|ffct|ft|wt)-[A-Za-z0-9_\-]{20,}"
    r"(?:\.[A-Za-z0-9_\-]+)*",
    r"xox[abposer]-[A-Za-z0-9\-]{10,}",
    r"xoxe\.xox[bp]-[A-Za-z0-9\-]{10,}",
    r"xapp-[0-9]-[A-Za-z0-9\-]{10,}",
    r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]{10,}",
    r"[sr]k_live_[A-Za-z0-9]{20,247}",
    r"AIza[A-Za-z0-9_\-]{35}",
    r"sk-ant-[a-z]{2,8}[0-9]{2}-[A-Za-z0-9_\-]{20,}",
    r"sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{20,}",
    r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}",
    r"eyJ[A-Za-z0-9_\-]{8,}\.ey[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*",
    _DB_URL,
    r"jdbc:[a-z0-9]+:[^\s'\"<>]{0,300}?[?&;:](?i:password)=[^&;\s'\"<>]+",
)


def _tokens_pattern(shapes: tuple[str, ...]) -> str:
    """Token shapes after a word boundary, or a private key block."""
    return _B + "(?:" + "|".join(shapes) + ")|" + _PEM_BEGIN + f"(?:(?s:.)*?{_PEM_END}|{_PEM_BODY})"


TOKENS = Scanner(
    "tokens",
    _tokens_pattern(_TOKEN_SHAPES),
    # The URL schemes add so many literal prefixes that the search for all
    # shapes slows three-fold; apart, URLs are searched only in texts with
    # "://". No other shape starts with a scheme name, so matches of the two
    # parts never start at the same place.
    parts=(
        Scanner("tokens", _tokens_pattern(tuple(s for s in _TOKEN_SHAPES if s != _DB_URL))),
        Scanner("tokens", _B + f"(?:{_DB_URL})", row_filter="://"),
    ),
)

# Top-level domains tried, longest first, when an address runs straight into
# more letters ("a@b.comdeleted@c.org", text joined by an extractor).
_COMMON_TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|name|pro|app|dev|io|ai|co|me|tv|cloud|tech"
    "|online|site|store|shop|blog|xyz|email|digital|company|solutions|services|agency"
    "|media|group|global|network|systems|software|studio|design|page|health|bank|law"
)
_EMAIL_START = (
    r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*\."
)
_LONGEST_FIRST = "|".join(sorted(_COMMON_TLDS.split("|"), key=len, reverse=True))
EMAIL = Scanner(
    "email",
    rf"(?P<v>{_EMAIL_START}[A-Za-z]{{2,24}})(?P<post>[^A-Za-z0-9@._%+\-]|$)"
    rf"|(?P<w>{_EMAIL_START}(?:{_LONGEST_FIRST}|[A-Za-z]{{2}}))",
    row_filter="@",
    # Nearly every text with an "@" holds an address.
    dense=True,
)

# A password (or secret) assigned in code or configuration: the value inside
# its quotes, or an unquoted value up to white space or punctuation.
_ASSIGNED_KEY = (
    r"(?:password|passwd|passphrase|pwd|secret)[A-Za-z0-9_.\-]{0,40}[\"']?[ \t]*(?::=|=>|=|:)[ \t]*"
)
ASSIGNMENTS = Scanner(
    "assignments",
    rf"(?i)(?P<pre>{_ASSIGNED_KEY}[\"'])(?P<v>[^\"'\r\n]{{1,200}})(?P<post>[\"'])"
    rf"|(?P<p2>{_ASSIGNED_KEY})(?P<w>[^\s\"'`,;)}}\]<>]{{1,200}})",
)

# Connection strings in key=value form (ADO.NET, ODBC) that carry a password.
KEY_VALUE_CONNECTIONS = Scanner(
    "kv_connections",
    r"(?i)\b(?:server|data source|host|address)[ \t]*=[^;\r\n]{1,200};"
    r"(?:[^;\r\n]{0,200};){0,8}?[ \t]*(?:password|pwd)[ \t]*=[^;\r\n'\"]{1,200}",
    # Any text with "password" also has "passw", a prefix with far fewer
    # case variants for the literal search to try.
    row_filter="(?i)passw|pwd",
)

# AWS secret access keys have no prefix: 40 base64 characters, looked for only
# in rows that mention AWS, and accepted only with AWS context nearby.
AWS_SECRET = Scanner(
    "aws_secret",
    r"(?P<pre>^|[^A-Za-z0-9/+=])(?P<v>[A-Za-z0-9/+]{40})(?P<post>[^A-Za-z0-9/+=]|$)",
    row_filter=r"(?i)aws|amazon|AKIA|ASIA",
    # Texts that mention AWS mostly hold some forty-character run.
    dense=True,
)


def builtin_scanners(private_ipv4: bool = True) -> tuple[Scanner, ...]:
    """Every built-in pass; see :func:`numeric` for ``private_ipv4``."""
    return (
        numeric(private_ipv4),
        IPV6,
        TOKENS,
        EMAIL,
        ASSIGNMENTS,
        KEY_VALUE_CONNECTIONS,
        AWS_SECRET,
    )


def separate_patterns(private_ipv4: bool = False) -> list[str]:
    """Every alternative the passes combine, as a pattern of its own: what a
    scanner with one regex pass per pattern would run (the benchmark's
    ceiling and floor)."""
    v4 = _ANY_V4 if private_ipv4 else _PUBLIC_V4
    bounded = [f"{_B}(?:{shape}){_B}" for shape in (v4, *_NUMERIC_SHAPES)]
    unbounded = [f"(?:{shape}){_B}" for shape in _NUMERIC_UNBOUNDED]
    tokens = [f"{_B}(?:{shape})" for shape in _TOKEN_SHAPES]
    passes = (IPV6, EMAIL, ASSIGNMENTS, KEY_VALUE_CONNECTIONS, AWS_SECRET)
    return [*bounded, *unbounded, *tokens, _PEM_BEGIN, *(p.pattern for p in passes)]
