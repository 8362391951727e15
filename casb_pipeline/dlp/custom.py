"""Custom rules of a profiles file, turned into scanners and detectors."""

from __future__ import annotations

import polars as pl

from casb_pipeline.dlp.checksums import aba_routing, luhn, mod97, verhoeff
from casb_pipeline.dlp.detectors.base import AFTER, BEFORE, DIGITS, VALUE, Detector, level
from casb_pipeline.dlp.heuristics import entropy_below
from casb_pipeline.dlp.levels import HIGH, MEDIUM
from casb_pipeline.dlp.masking import ends
from casb_pipeline.dlp.normalise import generic
from casb_pipeline.dlp.policy import CustomRule, Policy
from casb_pipeline.dlp.scanners import Scanner


def validator(name: str) -> pl.Expr:
    """A named check-digit validator over the candidate's digits (or, for
    ``mod97``, its letters and digits)."""
    compact = VALUE.str.replace_all(r"[^A-Za-z0-9]", "").str.to_uppercase()
    checks = {
        "luhn": luhn(DIGITS),
        "mod97": mod97(compact),
        "aba_routing": aba_routing(DIGITS),
        "verhoeff": verhoeff(DIGITS, 12),
    }
    return checks[name]


def _escaped(words: list[str]) -> list[str]:
    """Literal words as regex-crate syntax (escaped by Polars itself)."""
    return pl.Series(words, dtype=pl.String).str.escape_regex().to_list()


def rule_pattern(rule: CustomRule) -> str:
    """The rule's regex as a pass: its whole match is the reported value."""
    if rule.keywords:
        alternatives = "|".join(_escaped(list(rule.keywords)))
        flags = "" if rule.case_sensitive else "(?i)"
        return f"{flags}(?:{alternatives})"
    assert rule.pattern is not None
    return rule.pattern


def rule_scanner(rule: CustomRule) -> Scanner:
    return Scanner(rule.detector_id, rule_pattern(rule))


def rule_detector(rule: CustomRule, policy: Policy) -> Detector:
    """The detector of a pattern, keyword or EDM-with-pattern rule (EDM
    membership itself is checked after fingerprinting)."""
    accept = pl.lit(True)
    if rule.keywords:
        # Whole words only: no letter or digit right before or after.
        accept = ~BEFORE.str.contains(r"\w$") & ~AFTER.str.contains(r"^\w")
    if rule.validator:
        accept = accept & validator(rule.validator)
    if rule.min_entropy is not None:
        accept = accept & ~entropy_below(VALUE, rule.min_entropy)
    context = "|".join(_escaped([word.lower() for word in rule.context]))
    confidence = HIGH if rule.edm is not None else rule.confidence
    return Detector(
        id=rule.detector_id,
        scanner=rule.detector_id,
        accept=accept,
        confidence=level(confidence),
        with_context=level(HIGH),
        context=context,
        normalised=generic(),
        masked=pl.concat_str(pl.lit(f"{rule.name}: "), ends(VALUE)),
        severity=policy.profile(rule.profile).severity or MEDIUM,
    )


def scanned_rules(policy: Policy) -> list[CustomRule]:
    """Rules that need their own pass over the texts."""
    return [rule for rule in policy.rules if rule.pattern is not None or rule.keywords]
