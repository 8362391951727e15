"""Custom rules, exact data match and allowlists, through real files."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from conftest import KEY, scan_texts

from casb_pipeline.dlp import hash_edm, load_policy
from casb_pipeline.dlp.edm import hash_edm_csv, write_edm
from casb_pipeline.dlp.errors import EdmError, ProfilesFileError
from casb_pipeline.dlp.synthetic import luhn_digit

BADGE = "B1234567" + luhn_digit("1234567")


def _policy(tmp_path: Path, text: str, today: date | None = None):
    path = tmp_path / "profiles.yaml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path, today=today)


def _edm_file(tmp_path: Path, csv_text: str, key: bytes = KEY) -> Path:
    source = tmp_path / "values.csv"
    source.write_text(csv_text, encoding="utf-8")
    out = tmp_path / "people.edm"
    write_edm(hash_edm_csv(source, key), out, key)
    return out


def test_regex_rule_with_validator_and_context(tmp_path) -> None:
    policy = _policy(
        tmp_path,
        "profiles:\n  badges:\n    min_confidence: low\n    rules:\n      - name: badge\n"
        "        pattern: 'B[0-9]{8}'\n        validator: luhn\n"
        "        context: [Badge]\n        confidence: low\n",
    )
    texts = [f"badge {BADGE} at the door", "badge B12345670 invalid", f"visitor {BADGE}"]
    findings = scan_texts(texts, policy)
    custom = findings.filter(pl.col("detector") == "custom:badge")
    assert custom.select("source_id", "matched", "confidence", "profile").rows() == [
        ("0", BADGE, "high", "badges"),
        ("2", BADGE, "low", "badges"),
    ]
    assert custom["masked"][0] == f"badge: ******({len(BADGE)} chars)"


def test_reserved_group_names_are_refused(tmp_path) -> None:
    with pytest.raises(ProfilesFileError, match="reserved"):
        _policy(
            tmp_path,
            "profiles:\n  x:\n    rules:\n      - name: r\n        pattern: 'id (?P<v>[0-9]+)'\n",
        )


def test_keywords_match_whole_words_in_any_case(tmp_path) -> None:
    policy = _policy(
        tmp_path,
        "profiles:\n  projects:\n    severity: critical\n    rules:\n"
        "      - name: codenames\n        keywords: [Project Falcon, Blue.bird]\n",
    )
    texts = ["status of PROJECT FALCON?", "projectfalcon", "blue.bird ok", "bluexbird", "Falconry"]
    findings = scan_texts(texts, policy).filter(pl.col("profile") == "projects")
    assert findings.select("source_id", "matched", "severity").rows() == [
        ("0", "PROJECT FALCON", "critical"),
        ("2", "blue.bird", "critical"),
    ]


def test_edm_reports_only_known_values_of_listed_detectors(tmp_path) -> None:
    edm = _edm_file(tmp_path, "ssn,email\n536-22-1234,Maria.Garcia@Fabrikam-Corp.com\n")
    policy = _policy(
        tmp_path,
        f"profiles:\n  employees:\n    severity: critical\n    rules:\n"
        f"      - name: staff\n        edm: {edm.name}\n"
        "        detectors: [us_ssn, email_address]\n",
    )
    texts = [
        "SSN 536 22 1234 and maria.garcia@fabrikam-corp.com",
        "SSN 536-22-9999 and other@fabrikam-corp.com",
        "bare 536221234 without a word",  # low-confidence SSN, still an exact match
    ]
    findings = scan_texts(texts, policy)
    staff = findings.filter(pl.col("detector") == "custom:staff")
    assert staff.select("source_id", "matched", "confidence", "severity").rows() == [
        ("0", "536 22 1234", "high", "critical"),
        ("0", "maria.garcia@fabrikam-corp.com", "high", "critical"),
        ("2", "536221234", "high", "critical"),
    ]


def test_edm_with_a_pattern_keeps_known_candidates_only(tmp_path) -> None:
    edm = _edm_file(tmp_path, "employee_id\nEMP-004211\nEMP-004212\n")
    policy = _policy(
        tmp_path,
        f"profiles:\n  employees:\n    rules:\n      - name: ids\n"
        f"        edm: {edm}\n        pattern: 'EMP-[0-9]{{6}}'\n",
    )
    findings = scan_texts(["EMP-004211 and EMP-004299 and EMP-004212"], policy)
    assert findings["matched"].to_list() == ["EMP-004211", "EMP-004212"]


def test_edm_made_with_another_key_is_refused(tmp_path) -> None:
    edm = _edm_file(tmp_path, "ssn\n536-22-1234\n", key=b"old key")
    policy = _policy(
        tmp_path,
        f"profiles:\n  e:\n    rules:\n      - name: s\n        edm: {edm}\n"
        "        detectors: [us_ssn]\n",
    )
    with pytest.raises(EdmError, match="another fingerprint key"):
        scan_texts(["SSN 536-22-1234"], policy)


def test_hash_edm_normalises_by_kind_and_keeps_no_plaintext(tmp_path) -> None:
    digests = hash_edm(["536-22-1234", "536 22 1234", "536221234", ""], KEY, "ssn")
    assert digests.rows() == [("ssn", hmac.new(KEY, b"536221234", hashlib.sha256).hexdigest())]
    emails = hash_edm(["A@B.io ", "a@b.io"], KEY, "email")
    assert emails.height == 1
    edm = _edm_file(tmp_path, "ssn,name\n536-22-1234,Ada  Lovelace\n")
    assert edm.stat().st_mode & 0o777 == 0o600
    raw = edm.read_bytes()
    assert b"536" not in raw and b"Lovelace" not in raw and b"lovelace" not in raw


def test_allowlist_flags_matches_by_fingerprint_or_pattern_until_expiry(tmp_path) -> None:
    fingerprint = hmac.new(KEY, b"536221234", hashlib.sha256).hexdigest()
    text = (
        f"allowlist:\n  - fingerprint: '{fingerprint}'\n    reason: QA identity\n"
        "    expires: 2030-01-01\n"
        "  - pattern: '@fabrikam-corp\\.com$'\n    detectors: [email_address]\n"
        "    reason: test tenant\n"
    )
    texts = ["SSN 536-22-1234, maria.garcia@fabrikam-corp.com, SSN 536-22-4321"]
    findings = scan_texts(texts, _policy(tmp_path, text, today=date(2029, 12, 31)))
    flags = findings.filter(pl.col("detector") != "pii_record")
    assert flags.select("matched", "allowlisted", "allowlist_reason").rows() == [
        ("536-22-1234", True, "QA identity"),
        ("maria.garcia@fabrikam-corp.com", True, "test tenant"),
        ("536-22-4321", False, None),
    ]
    later = scan_texts(texts, _policy(tmp_path, text), today=date(2030, 1, 2))
    assert later.filter(pl.col("matched") == "536-22-1234")["allowlisted"].to_list() == [False]
