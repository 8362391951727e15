"""Handlers of ``casb-pipeline dlp scan`` and ``casb-pipeline dlp hash-edm``."""

from __future__ import annotations

from pathlib import Path

from casb_pipeline.config import Settings, fingerprint_key
from casb_pipeline.dlp.edm import hash_edm_csv, write_edm
from casb_pipeline.dlp.errors import DlpInputError
from casb_pipeline.dlp.parquet_scan import scan_parquet
from casb_pipeline.dlp.policy_file import load_policy, profiles_path_from_env


def scan_command(
    in_path: Path,
    out_path: Path,
    text_column: str,
    id_column: str,
    profiles_path: Path | None,
) -> int:
    """Scan a Parquet table of texts; print one summary line."""
    if in_path.resolve() == out_path.resolve():
        raise DlpInputError(f"{out_path}: the output would overwrite the input; choose --out")
    policy = load_policy(profiles_path or profiles_path_from_env())
    key = fingerprint_key(Settings.from_env())
    summary = scan_parquet(
        in_path,
        out_path,
        key=key,
        text_column=text_column,
        id_column=id_column,
        policy=policy,
    )
    severities = ", ".join(
        f"{count} {severity}" for severity, count in reversed(summary.by_severity.items())
    )
    print(
        f"scanned {summary.rows} rows ({summary.text_bytes / 1e6:.1f} MB of text) "
        f"in {summary.seconds:.1f} s: {summary.findings} findings ({severities}; "
        f"{summary.allowlisted} allowlisted) -> {out_path}"
    )
    return 0


def hash_edm_command(in_path: Path, out_path: Path) -> int:
    """Turn a CSV of exact values into keyed digests; print one summary line."""
    key = fingerprint_key(Settings.from_env())
    digests = hash_edm_csv(in_path, key)
    write_edm(digests, out_path, key)
    kinds = digests.get_column("kind").unique().sort().to_list()
    print(
        f"hashed {digests.height} distinct values of {len(kinds)} kind(s) "
        f"({', '.join(kinds)}) -> {out_path}; keep the CSV out of the data dir"
    )
    return 0
