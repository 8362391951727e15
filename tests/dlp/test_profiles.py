"""Profiles: minimum confidence, match-count thresholds, severity, PII records."""

from __future__ import annotations

import random
from dataclasses import replace

import polars as pl
from conftest import KEY, scan_texts

from casb_pipeline.dlp import Policy, scan
from casb_pipeline.dlp.levels import CRITICAL, LOW
from casb_pipeline.dlp.synthetic import ca_sin

ABA_BARE = "order 021000021 shipped"  # valid routing number, no context: low
RECORD = "Customer: maria.garcia@fabrikam-corp.com, tel +1 415 867 5309, SSN 536-22-1234"


def _with_profile(policy: Policy, name: str, **changes: object) -> Policy:
    profiles = tuple(replace(p, **changes) if p.name == name else p for p in policy.profiles)
    return replace(policy, profiles=profiles)


def test_low_confidence_matches_appear_only_when_the_profile_asks() -> None:
    assert scan_texts([ABA_BARE]).is_empty()
    lowered = _with_profile(Policy(), "financial", min_confidence=LOW)
    findings = scan_texts([ABA_BARE], lowered)
    assert findings.select("detector", "confidence").rows() == [("us_aba_routing", "low")]


def test_private_addresses_are_low_and_only_extracted_when_low_is_asked_for() -> None:
    text = "peer 10.1.2.3, gateway 192.168.0.1, public 52.14.200.7, host 172.20.0.5"
    assert scan_texts([text])["matched"].to_list() == ["52.14.200.7"]
    lowered = _with_profile(Policy(), "contact_pii", min_confidence=LOW)
    found = scan_texts([text], lowered).select("matched", "confidence").rows()
    assert found == [
        ("10.1.2.3", "low"),
        ("192.168.0.1", "low"),
        ("52.14.200.7", "high"),
        ("172.20.0.5", "low"),
    ]


def test_match_count_threshold_applies_per_text_and_profile() -> None:
    policy = _with_profile(Policy(), "contact_pii", min_count=2)
    texts = ["one: maria.garcia@fabrikam-corp.com", "two: a.b@northwind.io and c.d@northwind.io"]
    findings = scan_texts(texts, policy)
    assert findings["source_id"].unique().to_list() == ["1"]
    assert findings["match_count"].to_list() == [2, 2]


def test_disabled_profile_reports_nothing_of_its_own() -> None:
    policy = _with_profile(Policy(), "credentials", enabled=False)
    findings = scan_texts(["aws_access_key_id = AKIAZ7QH3K5M2NV4XW6T, SSN 536-22-1234"], policy)
    assert findings["detector"].to_list() == ["us_ssn"]


def test_severity_comes_from_detector_then_profile_override_then_bulk() -> None:
    text = "SSN 536-22-1234"
    assert scan_texts([text])["severity"].to_list() == ["high"]
    overridden = _with_profile(Policy(), "national_ids", severity=CRITICAL)
    assert scan_texts([text], overridden)["severity"].to_list() == ["critical"]
    many = "SSNs: " + ", ".join(f"536-22-{1000 + i}" for i in range(10))
    findings = scan_texts([many])
    assert set(findings["severity"]) == {"critical"}
    assert set(findings["match_count"]) == {10}


def test_three_kinds_of_pii_close_together_make_a_record() -> None:
    findings = scan_texts([RECORD])
    record = findings.filter(pl.col("detector") == "pii_record").row(0, named=True)
    assert (record["start"], record["end"]) == (10, len(RECORD))
    assert record["profile"] == "pii_record"
    assert record["severity"] == "high"
    assert record["masked"] == "pii record: email_address, phone_number, us_ssn (3 values)"


def test_record_can_count_parts_too_weak_to_report_alone() -> None:
    text = "maria.garcia@fabrikam-corp.com, tel +1 415 867 5309, id 536221234"
    assert scan_texts([text]).filter(pl.col("detector") == "pii_record").is_empty()
    policy = _with_profile(Policy(), "pii_record", min_confidence=LOW)
    findings = scan_texts([text], policy)
    assert "us_ssn" not in findings["detector"].to_list()  # low alone, not reported
    record = findings.filter(pl.col("detector") == "pii_record")
    assert record["masked"].to_list() == [
        "pii record: email_address, phone_number, us_ssn (3 values)"
    ]
    assert record["confidence"].to_list() == ["low"]


def test_no_record_from_two_kinds_or_from_values_far_apart() -> None:
    two_kinds = "maria.garcia@fabrikam-corp.com and tel +1 415 867 5309"
    far = RECORD.replace(", SSN", ". " + "Lorem ipsum dolor sit amet. " * 10 + "SSN")
    findings = scan_texts([two_kinds, far])
    assert findings.filter(pl.col("detector") == "pii_record").is_empty()


def test_context_words_raise_confidence_and_are_reported() -> None:
    findings = scan_texts(["ITIN 912-78-1234", "number 912-78-1234"])
    assert findings.select("source_id", "confidence", "context_hit").rows() == [("0", "high", True)]
    lowered = _with_profile(Policy(), "national_ids", min_confidence=LOW)
    both = scan_texts(["ITIN 912-78-1234", "number 912-78-1234"], lowered)
    assert both.select("confidence", "context_hit").rows() == [("high", True), ("low", False)]


def test_a_header_word_covers_the_column_of_values_below_it() -> None:
    rng = random.Random(5)
    sins = [ca_sin(rng) for _ in range(6)]
    table = "name,SIN\n" + "\n".join(f"person {i},{sin}" for i, sin in enumerate(sins))
    findings = scan_texts([table])
    assert findings.filter(pl.col("detector") == "ca_sin")["matched"].to_list() == sins
    assert findings["context_hit"].all()


def test_a_header_word_stops_at_the_end_of_its_text_and_at_a_long_gap() -> None:
    rng = random.Random(6)
    first, second, third = (ca_sin(rng) for _ in range(3))
    lowered = _with_profile(Policy(), "national_ids", min_confidence=LOW)
    texts = [f"SIN list:\n{first}", f"{second}", f"{'filler words ' * 10}{third}"]
    findings = scan_texts(texts, lowered).filter(pl.col("detector") == "ca_sin")
    assert findings.select("matched", "context_hit").rows() == [
        (first, True),
        (second, False),
        (third, False),
    ]
    together = scan_texts([f"SIN list:\n{first}\n{second}\n{'filler words ' * 10}{third}"], lowered)
    assert together.select("matched", "context_hit").rows() == [
        (first, True),
        (second, True),
        (third, False),
    ]


def test_keep_columns_are_copied_from_the_input_row() -> None:
    frame = pl.DataFrame(
        {"id": [7], "text": ["SSN 536-22-1234"], "chat_id": ["c1"], "part": [None]},
        schema_overrides={"part": pl.String},
    )
    findings = scan(frame, key=KEY, keep_columns=["chat_id", "part"])
    assert findings.select("source_id", "chat_id", "part").rows() == [("7", "c1", None)]
    assert scan(frame.clear(), key=KEY, keep_columns=["chat_id"]).columns[-1] == "chat_id"


def test_private_key_span_is_the_whole_block() -> None:
    block = (
        "-----BEGIN EC PRIVATE KEY-----\n" + "MHcCAQEEIPq3" * 8 + "\n-----END EC PRIVATE KEY-----"
    )
    findings = scan_texts([f"key:\n{block}\nthanks"])
    assert findings.select("detector", "matched", "severity").rows() == [
        ("private_key", block, "critical")
    ]
