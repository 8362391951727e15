"""Profiles files: what they change, and errors naming file, line and field."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from casb_pipeline.dlp import load_policy
from casb_pipeline.dlp.errors import ProfilesFileError
from casb_pipeline.dlp.levels import CRITICAL, HIGH

VALID = """\
settings:
  context_window: 48
profiles:
  financial:
    min_confidence: high
    severity: critical
  contact_pii:
    enabled: false
  hr_data:
    min_count: 2
    severity: high
    rules:
      - name: employee_id
        pattern: 'EMP-[0-9]{6}'
        context: [employee, staff]
      - name: codenames
        keywords: [Project Falcon, Bluebird]
allowlist:
  - fingerprint: 'AB12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12'
    reason: QA card
    expires: 2020-01-31
  - pattern: '@corp-test\\.com$'
    detectors: [email_address, custom:employee_id]
    reason: test tenant
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profiles.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_changes_builtins_and_adds_profiles_rules_and_allowlist(
    tmp_path, caplog
) -> None:
    with caplog.at_level(logging.WARNING):
        policy = load_policy(_write(tmp_path, VALID), today=date(2025, 1, 1))
    assert policy.context_window == 48
    financial = policy.profile("financial")
    assert (financial.min_confidence, financial.severity) == (HIGH, CRITICAL)
    assert policy.profile("contact_pii").enabled is False
    assert policy.profile("hr_data").min_count == 2
    assert [rule.detector_id for rule in policy.rules] == ["custom:employee_id", "custom:codenames"]
    assert policy.rules[1].keywords == ("Project Falcon", "Bluebird")
    assert policy.allowlist[0].fingerprint == "ab12" * 16
    assert policy.allowlist[1].detectors == ("email_address", "custom:employee_id")
    assert "expired on 2020-01-31" in caplog.text
    assert "profiles.yaml:19" in caplog.text


RULE = "profiles:\n  x:\n    rules:\n      - name: r\n"
FINANCIAL = "profiles:\n  financial:\n"
ENTRY = "allowlist:\n  - reason: r\n"

MALFORMED = [
    (FINANCIAL + "    min_confidance: high\n", ":3: profiles.financial.min_confidance", "unknown"),
    (
        FINANCIAL + "    min_confidence: highest\n",
        ":3: profiles.financial.min_confidence",
        "not one",
    ),
    (FINANCIAL + "    min_count: 0\n", ":3: profiles.financial.min_count", "at least 1"),
    (FINANCIAL + "    rules: []\n", ":3: profiles.financial.rules", "is built in"),
    (RULE + "        pattern: '(unclosed'\n", ":5: profiles.x.rules[0].pattern", "not a valid"),
    (RULE + "        pattern: 'a*'\n", ":5: profiles.x.rules[0].pattern", "matches empty text"),
    (RULE, ":4: profiles.x.rules[0]", "exactly one of pattern, keywords or edm"),
    (
        RULE + "        keywords: [a]\n      - name: r\n        keywords: [b]\n",
        ":6: profiles.x.rules[1].name",
        "used twice",
    ),
    (
        RULE + "        keywords: [a]\n        validator: crc\n",
        ":6: profiles.x.rules[0].validator",
        "not one of",
    ),
    ("profiles:\n  x:\n    severity: high\n", ":3: profiles.x", "needs rules"),
    ("allowlist:\n  - pattern: 'x'\n", ":2: allowlist[0]", "needs a reason"),
    (ENTRY + "    fingerprint: 'zz'\n", ":3: allowlist[0].fingerprint", "64 hexadecimal"),
    (
        ENTRY + "    pattern: x\n    detectors: [nope]\n",
        ":4: allowlist[0].detectors[0]",
        "not one of",
    ),
    (ENTRY + "    pattern: x\n    expires: soon\n", ":4: allowlist[0].expires", "a date"),
    ("profiles: [1, 2\n", ":2: syntax", "expected ','"),
    ("wrong: 1\n", ":1: wrong", "unknown field"),
]


@pytest.mark.parametrize(("text", "where", "problem"), MALFORMED)
def test_malformed_files_name_file_line_and_field(tmp_path, text, where, problem) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ProfilesFileError) as raised:
        load_policy(path)
    message = str(raised.value)
    assert message.startswith(f"{path}{where}: "), message
    assert problem in message
    assert "\n" not in message


def test_missing_file_and_missing_edm_are_clear(tmp_path) -> None:
    with pytest.raises(ProfilesFileError, match=r"profiles\.yaml: file: not found"):
        load_policy(tmp_path / "profiles.yaml")
    path = _write(
        tmp_path,
        "profiles:\n  x:\n    rules:\n      - name: r\n        edm: none.edm\n"
        "        detectors: [us_ssn]\n",
    )
    with pytest.raises(ProfilesFileError, match=r":5: profiles\.x\.rules\[0\]\.edm: .*none\.edm"):
        load_policy(path)


def test_no_file_means_builtins_and_empty_file_too(tmp_path) -> None:
    builtin = load_policy(None)
    assert [p.name for p in builtin.profiles] == [
        "financial",
        "national_ids",
        "contact_pii",
        "credentials",
        "pii_record",
    ]
    assert load_policy(_write(tmp_path, "")) == builtin
