"""``scan``: a table of texts in, one row per finding out.

Steps, each over whole columns: candidate passes -> detectors (validation and
context) -> fingerprints -> exact data match -> profile thresholds -> overlap
resolution -> PII records -> count thresholds, severity -> allowlist.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from casb_pipeline.dlp.candidates import find_candidates
from casb_pipeline.dlp.classify import classify
from casb_pipeline.dlp.composite import pii_records
from casb_pipeline.dlp.custom import rule_detector, rule_scanner, scanned_rules
from casb_pipeline.dlp.detectors import Detector, builtin_detectors
from casb_pipeline.dlp.edm import verify_key
from casb_pipeline.dlp.errors import DlpInputError
from casb_pipeline.dlp.fingerprint import fingerprints
from casb_pipeline.dlp.levels import (
    CRITICAL,
    HIGH,
    LOW,
    MEDIUM,
    confidence_names,
    severity_names,
)
from casb_pipeline.dlp.policy import PII_RECORD, PII_RECORD_PARTS, Policy
from casb_pipeline.dlp.scanners import Scanner, builtin_scanners
from casb_pipeline.dlp.spans import previous_reach

FINDING_SCHEMA = {
    "source_id": pl.String,
    "detector": pl.String,
    "profile": pl.String,
    "start": pl.Int64,
    "end": pl.Int64,
    "confidence": pl.String,
    "severity": pl.String,
    "masked": pl.String,
    "fingerprint": pl.String,
    "allowlisted": pl.Boolean,
    "allowlist_reason": pl.String,
    "match_count": pl.Int64,
    "context_hit": pl.Boolean,
}


def scan(
    frame: pl.DataFrame | pl.LazyFrame,
    *,
    key: bytes,
    text_column: str = "text",
    id_column: str = "id",
    keep_columns: Sequence[str] = (),
    policy: Policy | None = None,
    today: date | None = None,
) -> pl.DataFrame:
    """Scan ``text_column`` of ``frame``; one row per finding (``FINDING_SCHEMA``
    followed by ``keep_columns`` copied from the finding's input row).

    ``key`` keys the fingerprints; ``policy`` defaults to the built-in
    profiles; ``today`` decides which allowlist entries have expired.
    """
    policy = policy if policy is not None else Policy()
    for rule in policy.rules:
        if rule.edm is not None:
            verify_key(rule.edm, key)
    data = _prepare(frame, text_column, id_column, tuple(keep_columns))
    floors = _floors(policy)
    detectors, scanners = _plan(policy, floors)
    digits_for = {detector.scanner for detector in detectors if detector.reads("digits")}
    candidates = find_candidates(
        data.select("row", "text"), scanners, policy.context_window, digits_for
    )
    matches = classify(candidates, detectors, policy.context_window, floors)
    findings = _score(matches, policy, key, today or date.today())
    return _finish(findings, data, tuple(keep_columns))


def _prepare(
    frame: pl.DataFrame | pl.LazyFrame, text_column: str, id_column: str, keep: tuple[str, ...]
) -> pl.DataFrame:
    lazy = frame.lazy()
    schema = lazy.collect_schema()
    for column in (text_column, id_column, *keep):
        if column not in schema:
            raise DlpInputError(
                f"column {column!r} not found; the table has: {', '.join(schema.names())}"
            )
    if schema[text_column] != pl.String:
        raise DlpInputError(
            f"column {text_column!r} is {schema[text_column]}, not text: "
            "choose a string column with --text-column"
        )
    clashes = sorted(set(keep) & set(FINDING_SCHEMA))
    if clashes:
        raise DlpInputError(f"keep column(s) {', '.join(clashes)} clash with finding columns")
    return lazy.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
        pl.col(text_column).alias("text"),
        pl.col(id_column).cast(pl.String).alias("source_id"),
        *(pl.col(column) for column in keep),
    ).collect()


def _plan(policy: Policy, floors: dict[str, int]) -> tuple[list[Detector], list[Scanner]]:
    """Detectors worth running and the passes they need: those of enabled
    profiles, plus the parts of PII records and the detectors EDM rules of
    enabled profiles look up. Private IPv4 addresses are extracted only when
    their (low) confidence can be reported."""
    profile_of = policy.profile_of()
    enabled = {profile.name for profile in policy.profiles if profile.enabled}
    wanted = {detector for detector, profile in profile_of.items() if profile in enabled}
    if PII_RECORD in enabled:
        wanted.update(PII_RECORD_PARTS)
    for rule in policy.rules:
        if rule.profile in enabled:
            wanted.update(rule.edm_detectors)
    detectors = [detector for detector in builtin_detectors() if detector.id in wanted]
    passes = builtin_scanners(private_ipv4=floors["ip_address"] <= LOW)
    scanners = [s for s in passes if any(d.scanner == s.name for d in detectors)]
    for rule in scanned_rules(policy):
        if rule.profile in enabled:
            detectors.append(rule_detector(rule, policy))
            scanners.append(rule_scanner(rule))
    return detectors, scanners


def _floors(policy: Policy) -> dict[str, int]:
    """The lowest confidence worth keeping per detector: its profile's
    minimum, lowered for PII-record parts and for EDM look-ups (any level)."""
    profile_of = policy.profile_of()
    minimum = {profile.name: profile.min_confidence for profile in policy.profiles}
    floors = {detector: minimum[profile] for detector, profile in profile_of.items()}
    for part in PII_RECORD_PARTS:
        floors[part] = min(floors[part], minimum[PII_RECORD])
    for rule in policy.rules:
        for detector in rule.edm_detectors:
            floors[detector] = 1
    return floors


def _profile_setting(policy: Policy, setting: str, profile: pl.Expr) -> pl.Expr:
    names = [p.name for p in policy.profiles]
    values = [getattr(p, setting) for p in policy.profiles]
    return profile.replace_strict(names, values, default=None)


def _score(matches: pl.DataFrame, policy: Policy, key: bytes, today: date) -> pl.DataFrame:
    """Matches (each at or above its detector's floor) to findings."""
    profile_of = policy.profile_of()
    matches = matches.with_columns(
        profile=pl.col("detector").replace_strict(
            list(profile_of), list(profile_of.values()), default=None, return_dtype=pl.String
        )
    )
    matches = matches.with_columns(fingerprint=fingerprints(matches["normalised"], key))
    resolved = _resolve_overlaps(_exact_data_match(matches, policy))

    min_confidence = _profile_setting(policy, "min_confidence", pl.col("profile"))
    enabled = {profile.name for profile in policy.profiles if profile.enabled}
    findings = resolved.filter(
        (pl.col("confidence") >= min_confidence) & pl.col("profile").is_in(enabled)
    )
    record_profile = policy.profile(PII_RECORD)
    if record_profile.enabled:
        parts = resolved.filter(
            pl.col("detector").is_in(PII_RECORD_PARTS)
            & (pl.col("confidence") >= record_profile.min_confidence)
        )
        records = pii_records(parts, policy.record_window, policy.record_min_types)
        records = records.with_columns(
            fingerprint=fingerprints(records["normalised"], key),
            profile=pl.lit(PII_RECORD),
            priority=pl.lit(-1, dtype=pl.Int32),
            severity=pl.lit(HIGH, dtype=pl.Int32),
            context_hit=pl.lit(False),
        )
        findings = pl.concat([findings, records.select(findings.columns)])
    findings = _thresholds(findings, policy)
    return _allowlist(findings, policy, today)


def _exact_data_match(matches: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """EDM rules: matches of listed built-in detectors whose fingerprint is a
    known digest become findings of the rule; a pattern rule's own matches
    stay only when their fingerprint is known."""
    extra = []
    for rule in policy.rules:
        if rule.edm is None:
            continue
        known = pl.col("fingerprint").is_in(rule.edm.digests.implode())
        if rule.edm_detectors:
            hits = matches.filter(pl.col("detector").is_in(rule.edm_detectors) & known)
            extra.append(
                hits.with_columns(
                    detector=pl.lit(rule.detector_id),
                    profile=pl.lit(rule.profile),
                    confidence=pl.lit(HIGH, dtype=pl.Int32),
                    severity=pl.lit(policy.profile(rule.profile).severity or MEDIUM, pl.Int32),
                    context_hit=pl.lit(False),
                )
            )
        else:
            matches = matches.filter((pl.col("detector") != rule.detector_id) | known)
    return pl.concat([matches, *extra]) if extra else matches


def _resolve_overlaps(matches: pl.DataFrame) -> pl.DataFrame:
    """Where built-in matches overlap (one span read as two kinds, or a
    password inside a connection string), keep the most confident, then the
    longest, then the earliest in priority. Custom rules are left alone."""
    builtin = ~pl.col("detector").str.starts_with("custom:")
    ranked = matches.filter(builtin).sort(["row", "start", "end"], descending=[False, False, True])
    reach = previous_reach()
    clustered = ranked.with_columns(
        cluster=(reach.is_null() | (pl.col("start") >= reach)).cast(pl.UInt32).cum_sum()
    )
    best = (
        clustered.with_columns(length=pl.col("end") - pl.col("start"))
        .sort(
            ["cluster", "confidence", "length", "priority"],
            descending=[False, True, True, False],
        )
        .unique("cluster", keep="first", maintain_order=True)
        .drop("cluster", "length")
    )
    return pl.concat([best, matches.filter(~builtin)])


def _thresholds(findings: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Profile match-count thresholds, per-detector counts, and severity:
    the profile's override or the detector's own, one step higher for bulk."""
    profile = pl.col("profile")
    per_profile = pl.len().over("row", "profile")
    counted = findings.filter(per_profile >= _profile_setting(policy, "min_count", profile))
    counted = counted.with_columns(match_count=pl.len().over("row", "detector").cast(pl.Int64))
    override = _profile_setting(policy, "severity", profile)
    base = pl.coalesce(override, pl.col("severity"))
    bulk = pl.col("match_count") >= _profile_setting(policy, "bulk_count", profile)
    return counted.with_columns(
        severity=pl.when(bulk).then(base + 1).otherwise(base).clip(1, CRITICAL).cast(pl.Int32)
    )


def _allowlist(findings: pl.DataFrame, policy: Policy, today: date) -> pl.DataFrame:
    """Flag matches of active allowlist entries (the first entry that matches
    gives the reason); expired entries no longer apply."""
    reason = pl.lit(None, dtype=pl.String)
    for entry in reversed(policy.allowlist):
        if not entry.active(today):
            continue
        if entry.fingerprint is not None:
            applies = pl.col("fingerprint") == entry.fingerprint.lower()
        else:
            applies = pl.col("normalised").str.contains(entry.pattern or "")
        if entry.detectors:
            applies = applies & pl.col("detector").is_in(entry.detectors)
        reason = pl.when(applies).then(pl.lit(entry.reason)).otherwise(reason)
    return findings.with_columns(allowlist_reason=reason).with_columns(
        allowlisted=pl.col("allowlist_reason").is_not_null()
    )


def _finish(findings: pl.DataFrame, data: pl.DataFrame, keep: tuple[str, ...]) -> pl.DataFrame:
    """Public columns only (the normalised value never leaves), input columns
    joined back, ordered by text and position."""
    schema = {**FINDING_SCHEMA, **{column: data.schema[column] for column in keep}}
    if findings.is_empty():
        return pl.DataFrame(schema=schema)
    return (
        findings.join(data.select("row", "source_id", *keep), on="row", how="left")
        .sort("row", "start", "detector")
        .with_columns(
            confidence=confidence_names(pl.col("confidence")),
            severity=severity_names(pl.col("severity")),
        )
        .select(list(schema))
        .cast(schema)
    )


__all__ = ["FINDING_SCHEMA", "scan"]
