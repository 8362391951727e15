"""Keyed fingerprints: hex HMAC-SHA256 of normalised values, column at a time.

Polars has no HMAC, and a Python ``hmac`` call per match is the loop the
engine avoids; DuckDB's vectorised ``sha256`` builds HMAC from its definition
(RFC 2104): H((K ^ opad) || H((K ^ ipad) || message)).
"""

from __future__ import annotations

import hashlib
import threading

import duckdb
import polars as pl

_BLOCK = 64
_QUERY = (
    "select sha256($outer::blob || unhex(sha256($inner::blob || encode(value)))) as fingerprint"
    " from values_to_hash"
)


_local = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    """This thread's DuckDB connection (opening one costs more than hashing
    thousands of values; a connection must not be shared between threads)."""
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = duckdb.connect()
    return connection


def _pads(key: bytes) -> tuple[bytes, bytes]:
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def fingerprints(values: pl.Series, key: bytes) -> pl.Series:
    """Hex HMAC-SHA256 of each string under ``key`` (nulls stay null)."""
    if values.len() == 0:
        return pl.Series("fingerprint", [], dtype=pl.String)
    inner, outer = _pads(key)
    connection = _connection()
    connection.register("values_to_hash", pl.DataFrame({"value": values.cast(pl.String)}))
    try:
        result = connection.sql(_QUERY, params={"inner": inner, "outer": outer}).pl()
    finally:
        connection.unregister("values_to_hash")
    return result.get_column("fingerprint").alias("fingerprint")


def key_check(key: bytes) -> str:
    """A digest that identifies the key without revealing it (stored in EDM
    files so a scan with another key fails clearly instead of matching nothing)."""
    return fingerprints(pl.Series(["casb-pipeline exact data match key check"]), key).item()
