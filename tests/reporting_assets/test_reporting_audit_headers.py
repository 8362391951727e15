"""Audit files declare the marts they check; a wrong header is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from assets.reporting import Audit, AuditError, audits
from casb_pipeline.warehouse import Model


def _audit(tmp_path: Path, text: str) -> Audit:
    path = tmp_path / "my_audit.sql"
    path.write_text(text)
    return Audit.from_model(Model("my_audit", "audits", path, text))


def test_header_gives_description_marts_and_blocking(tmp_path: Path) -> None:
    audit = _audit(
        tmp_path,
        "-- Rows that are wrong.\n-- Really.\n-- assets: findings, action_list\n"
        "-- blocking: true\nselect 1 as mart where false\n",
    )
    assert (audit.description, audit.assets, audit.blocking) == (
        "Rows that are wrong. Really.",
        ("findings", "action_list"),
        True,
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("-- no marts named\n", r"my_audit\.sql: its header needs '-- assets: <marts>'"),
        ("-- assets: findings, stg_chats\n", r"my_audit\.sql: .*\(unknown: stg_chats\)"),
        ("-- assets: findings\n-- blocking: maybe\n", r"my_audit\.sql: '-- blocking:' must be"),
    ],
)
def test_a_wrong_header_names_the_file(tmp_path: Path, header: str, message: str) -> None:
    with pytest.raises(AuditError, match=message):
        _audit(tmp_path, header + "select 1\n")


def test_every_shipped_audit_has_a_valid_header() -> None:
    shipped = audits()
    assert {a.name for a in shipped} == {
        "findings_have_sources",
        "findings_lifecycle_valid",
        "ids_unique",
        "action_targets_exist",
        "no_raw_values",
    }
    assert {a.name for a in shipped if a.blocking} == {"ids_unique", "no_raw_values"}
