"""Credentials without a single issuer prefix: private keys, JWTs, connection
strings, passwords in code and configuration, AWS secret access keys."""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.detectors.base import BEFORE, VALUE, Detector, choose, level, shape
from casb_pipeline.dlp.heuristics import (
    character_classes,
    entropy_below,
    has_placeholder_segment,
    has_placeholder_word,
)
from casb_pipeline.dlp.levels import CRITICAL, HIGH, LOW, MEDIUM
from casb_pipeline.dlp.masking import ELLIPSIS, length_only, prefix_and_length

# Values that stand for "no password here" in templates, docs and type hints.
NON_SECRETS = (
    "password", "passwd", "secret", "changeme", "admin", "root", "test", "none", "null", "nil",
    "true", "false", "yes", "no", "required", "optional", "str", "string", "int", "bool",
    "bytes", "undefined", "empty", "hidden", "masked", "redacted", "default", "example",
    "postgres", "mysql", "guest", "pass", "secret123", "password123", "123456",
)  # fmt: skip

# A reference to a value kept elsewhere: ${VAR}, $VAR, %(name)s, %s, {{ var }},
# <slot>, @setting, or a mask of stars or dots.
REFERENCE = (
    r"^(?:\$\{.*\}|\$[A-Za-z_][A-Za-z0-9_]*|%\([A-Za-z_]*\)[sd]|%[sd]|\{\{.*\}\}|<[^>]*>"
    r"|@[A-Za-z_][A-Za-z0-9_.]*|\*+|\.+|x+)$"
)

# The signature of the sample token shown on jwt.io.
SAMPLE_JWT_SIGNATURES = ("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",)


def _weak_password(password: pl.Expr, user: pl.Expr | None = None) -> pl.Expr:
    """Defaults, references (``$VAR``, ``%s``, ``<...>``) and templates."""
    weak = (
        password.str.to_lowercase().is_in(NON_SECRETS)
        | password.str.contains(REFERENCE)
        | has_placeholder_word(password)
        | (password.str.split("").list.n_unique() == 1)
    )
    return weak if user is None else weak | (password == user)


def private_key() -> Detector:
    body = (
        VALUE.str.replace_all(r"-----(?:BEGIN|END)[A-Z0-9 ]*-----", "")
        .str.replace_all(r"[A-Za-z\-]+: [^\r\n\\]*", "")
        .str.replace_all(r"\\[nr]|\s", "")
    )
    complete = VALUE.str.contains("-----END", literal=True)
    return Detector(
        id="private_key",
        scanner="tokens",
        accept=VALUE.str.starts_with("-----BEGIN"),
        confidence=choose(complete, HIGH, MEDIUM),
        placeholder=(body.str.len_chars() < 64) | has_placeholder_segment(body),
        normalised=body,
        masked=prefix_and_length(
            VALUE, VALUE.str.extract(r"^(-----BEGIN[A-Z0-9 ]*-----)", 1) + pl.lit(" ")
        ),
        severity=CRITICAL,
    )


def _jwt_algorithm(token: pl.Expr) -> pl.Expr:
    """``alg`` of the header, decoded from base64url, or null when the header
    is not JSON with an ``alg``."""
    header = (
        token.str.extract(r"^([A-Za-z0-9_\-]+)\.", 1)
        .str.replace_all("-", "+", literal=True)
        .str.replace_all("_", "/", literal=True)
    )
    padding = pl.lit("===").str.head((4 - header.str.len_chars() % 4) % 4)
    decoded = (
        pl.concat_str(header, padding)
        .str.decode("base64", strict=False)
        .cast(pl.String, strict=False)
    )
    algorithm = decoded.str.json_path_match("$.alg")
    return pl.when(algorithm.str.contains(r"^[A-Za-z0-9]{2,10}$")).then(algorithm)


def jwt() -> Detector:
    algorithm = _jwt_algorithm(VALUE)
    signature = VALUE.str.extract(r"\.([A-Za-z0-9_\-]*)$", 1)
    signed = (signature.str.len_chars() >= 16) & (algorithm.str.to_lowercase() != "none")
    return Detector(
        id="jwt",
        scanner="tokens",
        # Of the token shapes, only the JWT's starts with "eyJ" (base64 of
        # '{"'); decoding headers is too costly to try on every token.
        prefilter=VALUE.str.starts_with("eyJ"),
        accept=algorithm.is_not_null(),
        confidence=choose(signed, HIGH, MEDIUM),
        placeholder=signature.is_in(SAMPLE_JWT_SIGNATURES),
        masked=pl.concat_str(
            pl.lit("jwt alg="),
            algorithm,
            pl.lit(" ("),
            VALUE.str.len_chars().cast(pl.String),
            pl.lit(" chars)"),
        ),
        severity=MEDIUM,
    )


def database_url() -> Detector:
    """``scheme://user:password@host`` and JDBC URLs with ``password=``."""
    password = pl.coalesce(
        VALUE.str.extract(r"^[a-z0-9+]+://[^:/@]+:([^@/]+)@", 1),
        VALUE.str.extract(r"(?i)[?&;:]password=([^&;]+)", 1),
    )
    user = VALUE.str.extract(r"://([^:/@]+):", 1)
    where = pl.coalesce(
        VALUE.str.extract(r"@([^/?#]+)", 1), VALUE.str.extract(r"^jdbc:[a-z0-9]+://([^/?;]+)", 1)
    )
    return Detector(
        id="database_connection_string",
        scanner="tokens",
        prefilter=VALUE.str.contains("://", literal=True) | VALUE.str.starts_with("jdbc:"),
        accept=shape(r"(?:[a-z0-9+]+://|jdbc:).+") & password.is_not_null(),
        confidence=level(HIGH),
        placeholder=_weak_password(password, user),
        masked=pl.concat_str(
            VALUE.str.extract(r"^((?:jdbc:)?[a-z0-9+]+:)", 1),
            pl.lit("//***:***@"),
            where.fill_null("?"),
        ),
        severity=CRITICAL,
    )


def key_value_connection_string() -> Detector:
    """``Server=...;User ID=...;Password=...`` (ADO.NET, ODBC)."""
    password = VALUE.str.extract(r"(?i)(?:password|pwd)[ \t]*=[ \t]*([^;]+)$", 1)
    server = VALUE.str.extract(r"(?i)^(?:server|data source|host|address)[ \t]*=[ \t]*([^;]+)", 1)
    return Detector(
        id="database_connection_string",
        scanner="kv_connections",
        accept=password.is_not_null(),
        confidence=level(HIGH),
        placeholder=_weak_password(password.str.strip_chars()),
        masked=pl.concat_str(pl.lit("server="), server, pl.lit(f";{ELLIPSIS};password=***")),
        severity=CRITICAL,
    )


def password_assignment() -> Detector:
    # Quoted values are reported without their quotes, which stay before.
    quoted = BEFORE.str.contains(r"[\"']$")
    secret = VALUE
    # Unquoted right-hand sides that are code, not literals: calls, indexing,
    # attribute chains, comparisons.
    code = ~quoted & secret.str.contains(
        r"[(\[{]|^[=>]|^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$"
    )
    bare_word = ~quoted & secret.str.contains(r"^[A-Za-z_]+$")
    length = secret.str.len_chars()
    strong = (length >= 8) & (character_classes(secret) >= 3) & ~entropy_below(secret, 2.5)
    return Detector(
        id="password_assignment",
        scanner="assignments",
        accept=~code & (length >= 1),
        confidence=pl.when(bare_word | (length < 6))
        .then(level(LOW))
        .when(strong)
        .then(level(HIGH))
        .otherwise(level(MEDIUM)),
        placeholder=_weak_password(secret),
        normalised=secret,
        masked=length_only(secret, "password"),
        severity=HIGH,
    )


def aws_secret_access_key() -> Detector:
    hex_only = VALUE.str.contains(r"^[0-9a-fA-F]+$")
    return Detector(
        id="aws_secret_access_key",
        scanner="aws_secret",
        accept=~hex_only & (character_classes(VALUE) >= 3) & ~entropy_below(VALUE, 4.0),
        # Forty base64 characters are only an AWS secret next to AWS words.
        confidence=level(0),
        with_context=level(HIGH),
        context=r"aws|amazon|secret.?access|akia|asia",
        placeholder=VALUE.str.contains("EXAMPLE", literal=True),
        masked=length_only(VALUE, "aws secret"),
        severity=CRITICAL,
    )
