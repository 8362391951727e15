"""The findings lifecycle across two warehouse builds over a growing fixture lake."""

from __future__ import annotations

from datetime import timedelta

from tests.marts.lake_builder import FixtureLake, Hit, ago, fingerprint

FIRST_SCAN = ago(days=10)
SECOND_SCAN = ago(days=2)


def _first_run(lake: FixtureLake) -> None:
    lake.user("alice", "alice@example.com")
    lake.user("bob", "bob@example.com")
    lake.chat("c1", "alice")
    lake.message("m1", "c1")
    lake.message("m2", "c1")
    lake.message("m3", "c1")
    lake.chat("c2", "alice")
    lake.message("m4", "c2")
    lake.chat("c3", "bob")
    lake.message("m5", "c3")
    lake.scan("chat_message", "m1", FIRST_SCAN, [Hit("aws_access_key_id", "k1", start=7)])
    lake.scan("chat_message", "m2", FIRST_SCAN, [Hit("us_ssn", "s1")])
    lake.scan("chat_message", "m3", FIRST_SCAN, [Hit("github_token", "g1", allowlisted=True)])
    lake.scan("chat_message", "m4", FIRST_SCAN, [Hit("stripe_secret_key", "st1")])
    lake.scan("chat_message", "m5", FIRST_SCAN, [Hit("credit_card_number", "cc1")])


def _second_run(lake: FixtureLake) -> None:
    # m1 still holds its key (twice now); m2 was edited clean; c1 gained m6.
    lake.message("m6", "c1")
    lake.scan(
        "chat_message",
        "m1",
        SECOND_SCAN,
        [Hit("aws_access_key_id", "k1", start=30), Hit("aws_access_key_id", "k1", start=90)],
    )
    lake.scan("chat_message", "m2", SECOND_SCAN, [])
    lake.scan("chat_message", "m6", SECOND_SCAN, [Hit("jwt", "j1")])
    # c2 was deleted through the API; bob deleted c3 in claude.ai (listed, content gone).
    lake.tombstone("chat", "c2", ago(days=3))
    lake.chat("c3", "bob", deleted_at=ago(days=4))
    lake.tombstone("chat", "c3", ago(days=4))
    lake.scan("chat_message", "m5", SECOND_SCAN, [])


def test_findings_follow_their_sources_across_two_builds(lake: FixtureLake) -> None:
    _first_run(lake)
    first = lake.build(FIRST_SCAN)
    before = {r["source_id"]: r for r in first.rows("select * from findings")}
    assert {k: (v["status"], v["resolution"]) for k, v in before.items()} == {
        "m1": ("open", None),
        "m2": ("open", None),
        "m3": ("ignored", "allowlisted"),
        "m4": ("open", None),
        "m5": ("open", None),
    }

    _second_run(lake)
    second = lake.build(SECOND_SCAN)
    after = {r["source_id"]: r for r in second.rows("select * from findings")}
    assert {k: (v["status"], v["resolution"]) for k, v in after.items()} == {
        "m1": ("open", None),
        "m2": ("resolved", "value_removed"),
        "m3": ("ignored", "allowlisted"),
        "m4": ("resolved", "source_deleted"),
        "m5": ("resolved", "deleted_by_user"),
        "m6": ("open", None),
    }
    for source_id, row in before.items():
        assert after[source_id]["finding_id"] == row["finding_id"], source_id

    still_open = after["m1"]
    assert still_open["first_seen_at"] == FIRST_SCAN
    assert still_open["last_seen_at"] == SECOND_SCAN
    assert still_open["match_count"] == 2
    assert (still_open["part"], still_open["start"], still_open["end"]) == (None, 30, 50)
    assert still_open["location"] == {"part": None, "start": 30, "end": 50}
    assert after["m2"]["resolved_at"] == SECOND_SCAN
    assert after["m2"]["last_seen_at"] == FIRST_SCAN
    assert after["m4"]["resolved_at"] == ago(days=3)
    assert after["m5"]["resolved_at"] == ago(days=4)
    assert after["m6"]["first_seen_at"] == SECOND_SCAN
    assert after["m3"]["allowlist_reason"] == "known test value"


def test_findings_carry_their_owner_and_context(lake: FixtureLake) -> None:
    _first_run(lake)
    warehouse = lake.build()
    row = warehouse.finding("m1", "aws_access_key_id")
    assert row["chat_id"] == "c1"
    assert row["user_id"] == "alice"
    assert row["user_email"] == "alice@example.com"
    assert row["organization_id"] == "3f6c1e2a-7b4d-4c8e-9a1f-5d2e8b7c6a90"
    assert row["fingerprint"] == fingerprint("k1")
    assert (row["profile"], row["severity"], row["confidence"]) == ("credentials", "high", "high")
    assert row["is_credential"] is True
    assert row["masked"] == "AKIA…(20 chars)"
    assert row["finding_id"].startswith("fnd_") and len(row["finding_id"]) == 36
    assert row["due_date"] == FIRST_SCAN.date() + timedelta(days=7)
    assert warehouse.finding("m5", "credit_card_number")["user_email"] == "bob@example.com"


def test_one_finding_per_value_and_source_with_the_highest_severity(lake: FixtureLake) -> None:
    lake.user("alice", "alice@example.com")
    lake.chat("c1", "alice")
    lake.message("m1", "c1")
    lake.message("m2", "c1")
    at = ago(days=1)
    lake.scan(
        "chat_message",
        "m1",
        at,
        [
            Hit("us_ssn", "s1", start=50),
            Hit("us_ssn", "s1", start=5, severity="critical"),
            Hit("us_ssn", "s2", start=70),
        ],
    )
    lake.scan("chat_message", "m2", at, [Hit("us_ssn", "s1")])
    warehouse = lake.build()
    rows = warehouse.rows(
        "select source_id, fingerprint, match_count, severity, start from findings "
        "order by source_id, start"
    )
    assert rows == [
        {
            "source_id": "m1",
            "fingerprint": fingerprint("s1"),
            "match_count": 2,
            "severity": "critical",
            "start": 5,
        },
        {
            "source_id": "m1",
            "fingerprint": fingerprint("s2"),
            "match_count": 1,
            "severity": "high",
            "start": 70,
        },
        {
            "source_id": "m2",
            "fingerprint": fingerprint("s1"),
            "match_count": 1,
            "severity": "high",
            "start": 0,
        },
    ]
    assert len({r["finding_id"] for r in warehouse.rows("select finding_id from findings")}) == 3


def test_first_seen_carried_by_the_scoring_step_wins(lake: FixtureLake) -> None:
    lake.user("alice", "alice@example.com")
    lake.chat("c1", "alice")
    lake.message("m1", "c1")
    carried = ago(days=50)
    lake.scan("chat_message", "m1", ago(days=1), [Hit("iban", "i1", first_seen_at=carried)])
    row = lake.build().finding("m1", "iban")
    assert row["first_seen_at"] == carried
    assert row["due_date"] == carried.date() + timedelta(days=30)


def test_files_resolve_when_deleted_and_attachments_when_unlisted(lake: FixtureLake) -> None:
    lake.user("alice", "alice@example.com")
    lake.chat("c1", "alice")
    lake.message("m1", "c1", files=("f1", "f2"), artifacts=("v1",))
    lake.project("p1", "alice")
    lake.attachments("p1", {"d1": "project_doc", "d2": "project_doc"}, listed_at=ago(days=9))
    at = ago(days=8)
    for source_type, source_id in (
        ("chat_file", "f1"),
        ("chat_file", "f2"),
        ("artifact", "v1"),
        ("project_attachment", "d1"),
        ("project_attachment", "d2"),
    ):
        lake.scan(source_type, source_id, at, [Hit("us_ssn", source_id, part="page:1")])
    lake.write(ago(days=8))
    lake.tombstone("file", "f1", ago(days=5))
    lake.attachments("p1", {"d2": "project_doc"}, listed_at=ago(days=4))
    warehouse = lake.build()
    states = {
        r["source_id"]: (r["status"], r["resolution"], r["resolved_at"], r["part"])
        for r in warehouse.rows("select * from findings")
    }
    assert states == {
        "f1": ("resolved", "source_deleted", ago(days=5), "page:1"),
        "f2": ("open", None, None, "page:1"),
        "v1": ("open", None, None, "page:1"),
        "d1": ("resolved", "source_deleted", ago(days=4), "page:1"),
        "d2": ("open", None, None, "page:1"),
    }
    assert warehouse.finding("d2", "us_ssn")["project_id"] == "p1"
    assert warehouse.finding("v1", "us_ssn")["chat_id"] == "c1"


def test_project_deleted_by_its_user_resolves_its_content_as_deleted_by_user(
    lake: FixtureLake,
) -> None:
    lake.user("alice", "alice@example.com")
    lake.project("p1", "alice", deleted_at=ago(days=2))
    lake.scan("project", "p1", ago(days=6), [Hit("github_token", "g1", part="instructions")])
    row = lake.build().finding("p1", "github_token")
    assert (row["status"], row["resolution"]) == ("resolved", "deleted_by_user")
    assert row["resolved_at"] == ago(days=2)
    assert row["project_id"] == "p1"
