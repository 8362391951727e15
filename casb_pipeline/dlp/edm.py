"""Exact data match: keyed digests of known values, made once, looked up in scans.

A plain hash of an SSN can be reversed by hashing all billion candidates; a
digest keyed with ``CASB_FINGERPRINT_KEY`` cannot without the key. Digests are
fingerprints of the normalised value, so a value found in a text matches when
its fingerprint is among them. The file records a key check so that scanning
with a different key fails loudly instead of silently matching nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from casb_pipeline.dlp.errors import EdmError
from casb_pipeline.dlp.fingerprint import fingerprints, key_check
from casb_pipeline.dlp.normalise import digits_of, normaliser
from casb_pipeline.dlp.policy import EdmSet

KEY_CHECK_FIELD = b"casb_edm_key_check"


def hash_edm(values: Iterable[str], key: bytes, kind: str) -> pl.DataFrame:
    """Digests of ``values`` normalised as ``kind`` (a detector id, an alias
    such as ``ssn`` or ``email``, or any other name for the generic form).

    Returns columns ``kind`` and ``digest`` (hex HMAC-SHA256), one row per
    distinct non-empty value. No plaintext is kept.
    """
    column = pl.Series("value", list(values), dtype=pl.String)
    normalised = (
        pl.DataFrame({"value": column.str.strip_chars()})
        .with_columns(digits=digits_of(pl.col("value")))
        .select(normaliser(kind).alias("value"))
        .filter(pl.col("value").is_not_null() & (pl.col("value") != ""))
        .unique()
        .get_column("value")
    )
    return (
        pl.DataFrame({"kind": kind, "digest": fingerprints(normalised, key)})
        .unique()
        .sort("digest")
    )


def hash_edm_csv(in_path: Path, key: bytes) -> pl.DataFrame:
    """Digests of every cell of a CSV whose header names each column's kind."""
    if not in_path.is_file():
        raise EdmError(f"{in_path}: no such file; give a CSV whose header names the value kinds")
    try:
        table = pl.read_csv(in_path, infer_schema=False)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as error:
        raise EdmError(f"{in_path}: not a readable UTF-8 CSV ({type(error).__name__})") from None
    if table.width == 0 or table.height == 0:
        raise EdmError(f"{in_path}: no values; the first line names the kinds, one per column")
    frames = [hash_edm(table.get_column(kind), key, kind) for kind in table.columns]
    return pl.concat(frames).unique().sort("kind", "digest")


def write_edm(digests: pl.DataFrame, out_path: Path, key: bytes) -> None:
    """Write digests owner-only, atomically, with the key check."""
    table = digests.to_arrow()
    metadata = dict(table.schema.metadata or {})
    metadata[KEY_CHECK_FIELD] = key_check(key).encode()
    table = table.replace_schema_metadata(metadata)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(f".{out_path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        pq.write_table(table, handle)
    os.replace(partial, out_path)


def read_edm(path: Path) -> EdmSet:
    """Load an EDM file; raises :class:`EdmError` when it is not one."""
    try:
        schema = pq.read_schema(path)
        digests = pl.read_parquet(path, columns=["digest"]).get_column("digest")
    except (OSError, pa.ArrowException, pl.exceptions.PolarsError) as error:
        kind = type(error).__name__
        raise EdmError(f"{path}: not an EDM file made by hash-edm ({kind})") from None
    check = (schema.metadata or {}).get(KEY_CHECK_FIELD)
    if check is None:
        raise EdmError(f"{path}: not an EDM file made by hash-edm (no key check)")
    return EdmSet(source=str(path), digests=digests, key_check=check.decode())


def verify_key(edm: EdmSet, key: bytes) -> None:
    """Refuse to look values up under a key the digests were not made with."""
    if edm.key_check != key_check(key):
        raise EdmError(
            f"{edm.source} was made with another fingerprint key; run "
            "`casb-pipeline dlp hash-edm` again with the current CASB_FINGERPRINT_KEY"
        )
