"""The SQL audits: silent on a sound warehouse, and each one catching what it is for."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import polars as pl
import pytest

from casb_pipeline.dlp import scan
from casb_pipeline.simulator import answer_key
from casb_pipeline.simulator.planted import DETECTORS
from casb_pipeline.warehouse import load_audits
from tests.marts.lake_builder import FixtureLake, Hit, Warehouse, ago

AUDITS = {audit.name: audit.sql for audit in load_audits()}
ANCHOR = date(2026, 11, 20)
MARTS = ("findings", "posture_report", "user_risk", "action_list", "project_exposure")
# Detectors whose raw values have a shape the no_raw_values audit recognises without
# context (e-mail addresses, phone numbers and IP addresses appear legitimately in
# marts; bare passwords, AWS secrets and routing numbers have no distinctive shape).
SHAPED = set(DETECTORS) - {
    "email_address",
    "phone_number",
    "ip_address",
    "password_assignment",
    "aws_secret_access_key",
    "us_aba_routing",
}


def audit(warehouse: Warehouse, name: str) -> list[dict[str, Any]]:
    return warehouse.rows(AUDITS[name])


def _sound_lake(lake: FixtureLake) -> None:
    lake.user("alice", "alice@example.com")
    lake.chat("c1", "alice")
    lake.message("m1", "c1", files=("f1",))
    lake.project("p1", "alice", is_private=False)
    lake.attachments("p1", {"d1": "project_doc", "pf1": "project_file"}, listed_at=ago(days=3))
    at = ago(days=2)
    lake.scan("chat_message", "m1", at, [Hit("stripe_secret_key", "k1"), Hit("iban", "i1")])
    lake.scan("chat_file", "f1", at, [Hit("us_ssn", "s1", part="page:1")])
    lake.scan("project", "p1", at, [Hit("github_token", "g1", part="instructions")])
    lake.scan("project_attachment", "d1", at, [Hit("credit_card_number", "n1")])
    lake.scan("project_attachment", "pf1", at, [Hit("aws_access_key_id", "k2")])


def _edit(warehouse: Warehouse, sql: str) -> None:
    with duckdb.connect(str(warehouse.path)) as con:
        con.execute(sql)


def test_every_audit_is_silent_on_a_sound_warehouse(lake: FixtureLake) -> None:
    _sound_lake(lake)
    warehouse = lake.build()
    assert len(warehouse.rows("select * from action_list")) >= 6
    assert {name: audit(warehouse, name) for name in AUDITS} == {name: [] for name in AUDITS}


def test_findings_without_a_known_source_are_reported(lake: FixtureLake) -> None:
    _sound_lake(lake)
    lake.scan("chat_message", "m_unknown", ago(days=1), [Hit("us_ssn", "s9")])
    warehouse = lake.build()
    (bad,) = audit(warehouse, "findings_have_sources")
    assert (bad["source_type"], bad["source_id"]) == ("chat_message", "m_unknown")
    assert bad["finding_id"] == warehouse.finding("m_unknown", "us_ssn")["finding_id"]


@pytest.mark.parametrize(
    ("name", "edit", "expected"),
    [
        (
            "ids_unique",
            "insert into findings select * from findings where source_id = 'm1' "
            "and detector = 'iban'",
            {"mart": "findings", "rows": 2},
        ),
        (
            "ids_unique",
            "insert into action_list select * from action_list where action_type = 'delete_chat'",
            {"mart": "action_list", "rows": 2},
        ),
        (
            "action_targets_exist",
            "update action_list set target_id = 'chat_gone' where action_type = 'delete_chat'",
            {"action_type": "delete_chat", "target_type": "chat", "target_id": "chat_gone"},
        ),
        (
            "findings_lifecycle_valid",
            "update findings set status = 'resolved' where source_id = 'm1' and detector = 'iban'",
            {"status": "resolved", "resolution": None, "severity": "medium"},
        ),
    ],
)
def test_each_audit_returns_the_bad_rows(
    lake: FixtureLake, name: str, edit: str, expected: dict[str, Any]
) -> None:
    _sound_lake(lake)
    warehouse = lake.build()
    _edit(warehouse, edit)
    (bad,) = audit(warehouse, name)
    assert {k: bad[k] for k in expected} == expected


def _planted() -> list[tuple[str, str]]:
    key = answer_key(7, "small", ANCHOR)
    return sorted({(p.detector, p.value) for p in key.planted})


def _masked_by_the_dlp(values: list[tuple[str, str]]) -> pl.DataFrame:
    texts = pl.DataFrame(
        {"id": [str(n) for n in range(len(values))], "text": [f"{d}: {v}" for d, v in values]}
    )
    return scan(texts, key=b"audit-test-key")


def _findings_lake(lake: FixtureLake, masks: list[tuple[str, str]]) -> Warehouse:
    lake.user("alice", "alice@example.com")
    lake.chat("c1", "alice")
    for n, (detector, masked) in enumerate(masks):
        lake.message(f"m{n}", "c1")
        lake.scan("chat_message", f"m{n}", ago(days=1), [Hit(detector, str(n), masked=masked)])
    return lake.build()


def test_masked_renderings_of_the_dlp_pass_the_raw_value_audit(lake: FixtureLake) -> None:
    planted = _planted()
    found = _masked_by_the_dlp(planted)
    # ITIN and SIN need context words these bare texts do not give
    assert set(found["detector"]) >= SHAPED - {"us_itin", "ca_sin"}
    masks = list(found.select("detector", "masked").unique().iter_rows())
    warehouse = _findings_lake(lake, masks)
    assert len(warehouse.rows("select * from findings")) == len(masks)
    assert audit(warehouse, "no_raw_values") == []


def test_raw_values_in_any_mart_are_caught_without_being_repeated(lake: FixtureLake) -> None:
    planted = [(d, v) for d, v in _planted() if d in SHAPED]
    assert {d for d, _ in planted} == SHAPED
    warehouse = _findings_lake(lake, planted)
    bad = audit(warehouse, "no_raw_values")
    flagged = {r["row_id"] for r in bad if r["table_name"] == "findings"}
    by_detector = {
        r["finding_id"]: r["detector"]
        for r in warehouse.rows("select finding_id, detector from findings")
    }
    assert {by_detector[f] for f in flagged} == SHAPED
    assert flagged == set(by_detector)
    # raw values flow into the reasons of actions and the details of posture rows too
    assert {r["mart"] for r in bad} >= {"findings", "action_list", "posture_report"}
    text = repr(bad)
    assert not [v for _, v in planted if v in text]


def test_no_planted_value_reaches_any_mart(lake: FixtureLake) -> None:
    planted = _planted()
    found = _masked_by_the_dlp(planted)
    lake.user("alice", "alice@example.com")
    lake.chat("c1", "alice")
    for row in found.iter_rows(named=True):
        message = f"m{row['source_id']}"
        detector, value = planted[int(row["source_id"])]
        lake.message(message, "c1", text=f"{detector}: {value}")
        hit = Hit(row["detector"], row["fingerprint"], start=row["start"], masked=row["masked"])
        lake.scan("chat_message", message, ago(days=1), [hit])
    warehouse = lake.build()
    assert len(warehouse.rows("select * from findings")) > 50
    assert "stg_chat_messages" in {
        r["table_name"] for r in warehouse.rows("select table_name from duckdb_tables()")
    }
    leaked = []
    for mart in MARTS:
        text = repr(warehouse.rows(f"select * from {mart}"))  # noqa: S608
        leaked += [(mart, d) for d, v in planted if v in text]
    assert leaked == []
