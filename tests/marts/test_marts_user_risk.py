"""The user risk score: its formula on hand-computed cases, and the ranking."""

from __future__ import annotations

import pytest

from tests.marts.lake_builder import NOW, FixtureLake, Hit, ago


def test_risk_scores_follow_the_documented_formula(lake: FixtureLake) -> None:
    for name in ("alice", "bob", "carol"):
        lake.user(name, f"{name}@example.com")
    lake.chat("c1", "alice")
    lake.message("m1", "c1")
    lake.message("m2", "c1")
    lake.message("m3", "c1")
    # 40 (critical) x 1 (high confidence) x 1 (seen today) + 10 (one distinct secret)
    lake.scan("chat_message", "m1", NOW, [Hit("stripe_secret_key", "k1")])
    # 5 (medium) x 1 x 0.5 (last seen 30 days ago)
    lake.scan("chat_message", "m2", ago(days=30), [Hit("iban", "i1")])
    # ignored: not counted
    lake.scan("chat_message", "m3", NOW, [Hit("stripe_secret_key", "k2", allowlisted=True)])
    # bob's project is org-visible: x 2 for its content
    lake.project("p1", "bob", is_private=False)
    # 15 (high) x 1 x 0.25 (90 days: 0.125, floored at 0.25) x 2 (org-visible)
    lake.scan("project", "p1", ago(days=90), [Hit("us_ssn", "s1", part="instructions")])
    lake.chat("c2", "bob")
    lake.message("m4", "c2")
    # 1 (low) x 0.7 (medium confidence) x 1
    lake.scan("chat_message", "m4", NOW, [Hit("email_address", "e1", confidence="medium")])
    # a user outside the directory still gets a row from the chat's owner
    lake.chat("c3", "dave", email="dave@contractor.example")
    lake.message("m5", "c3")
    # 15 x 0.4 (low confidence) x 1
    lake.scan("chat_message", "m5", NOW, [Hit("us_ssn", "s2", confidence="low")])
    rows = lake.build().rows("select * from user_risk order by risk_rank")
    assert [
        (r["risk_rank"], r["user_id"], r["user_email"], r["risk_score"], r["open_findings"])
        for r in rows
    ] == [
        (1, "alice", "alice@example.com", pytest.approx(52.5), 2),
        (2, "bob", "bob@example.com", pytest.approx(8.2), 2),
        (3, "dave", "dave@contractor.example", pytest.approx(6.0), 1),
        (4, "carol", "carol@example.com", 0, 0),
    ]
    alice = rows[0]
    assert (
        alice["open_critical"],
        alice["open_high"],
        alice["open_medium"],
        alice["open_low"],
    ) == (
        1,
        0,
        1,
        0,
    )
    assert alice["distinct_secrets"] == 1
    assert alice["last_finding_seen_at"] == NOW
