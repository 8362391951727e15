"""The findings mart orders a source's scans by the version of the content they saw
(``source_updated_at``), then by scan time; scans written before the column existed
count as the version of their scan time."""

from __future__ import annotations

from tests.marts.lake_builder import FixtureLake, Hit, Warehouse, ago

KEY = [Hit("stripe_secret_key", "k1", part="description")]


def _project(lake: FixtureLake) -> None:
    lake.user("alice", "alice@example.com")
    lake.project("p1", "alice", updated_at=ago(days=5))


def _state(warehouse: Warehouse) -> tuple[str, str | None]:
    row = warehouse.finding("p1", "stripe_secret_key")
    return row["status"], row["resolution"]


def test_an_older_version_scanned_later_does_not_reopen(lake: FixtureLake) -> None:
    _project(lake)
    lake.scan("project", "p1", ago(days=9), KEY, version=ago(days=10))
    lake.scan("project", "p1", ago(days=4), [], version=ago(days=5))
    # a back-fill of the old partition: the old copy again, scanned last
    lake.scan("project", "p1", ago(days=1), KEY, version=ago(days=10))
    row = lake.build().finding("p1", "stripe_secret_key")
    assert (row["status"], row["resolution"]) == ("resolved", "value_removed")
    assert row["resolved_at"] == ago(days=4)
    assert row["last_seen_at"] == ago(days=1)  # the old copy was seen again
    assert row["first_seen_at"] == ago(days=9)


def test_versions_scanned_in_one_run_are_ordered_by_version(lake: FixtureLake) -> None:
    """A back-fill of several days scans every copy at the same time."""
    _project(lake)
    now = ago(hours=1)
    lake.scan("project", "p1", now, [], version=ago(days=5))
    lake.scan("project", "p1", now, KEY, version=ago(days=10))
    assert _state(lake.build()) == ("resolved", "value_removed")


def test_the_latest_version_gives_the_location(lake: FixtureLake) -> None:
    _project(lake)
    lake.scan("project", "p1", ago(days=9), [Hit("iban", "i1", start=40)], version=ago(days=5))
    lake.scan("project", "p1", ago(days=1), [Hit("iban", "i1", start=7)], version=ago(days=10))
    row = lake.build().finding("p1", "iban")
    assert (row["status"], row["start"], row["last_seen_at"]) == ("open", 40, ago(days=9))


def test_immutable_objects_are_ordered_by_scan_time(lake: FixtureLake) -> None:
    lake.user("alice", "alice@example.com")
    lake.chat("c1", "alice")
    lake.message("m1", "c1", files=("f1", "f2"))
    lake.scan("chat_file", "f1", ago(days=3), [Hit("us_ssn", "s1")])
    lake.scan("chat_file", "f1", ago(days=1), [])  # e.g. the value allowlisted away
    lake.scan("chat_file", "f2", ago(days=3), [])
    lake.scan("chat_file", "f2", ago(days=1), [Hit("us_ssn", "s2")])  # a new detector
    warehouse = lake.build()
    assert warehouse.finding("f1", "us_ssn")["resolution"] == "value_removed"
    assert warehouse.finding("f2", "us_ssn")["status"] == "open"


def test_files_without_the_column_are_read_and_count_as_of_their_scan_time(
    lake: FixtureLake,
) -> None:
    _project(lake)
    # before the upgrade: the copy with the key, then the edited copy
    lake.scan("project", "p1", ago(days=9), KEY)
    lake.scan("project", "p1", ago(days=4), [])
    lake.write(ago(days=4), legacy=True)
    assert _state(lake.build()) == ("resolved", "value_removed")
    # after it: a back-fill re-scans the old copy (edited since) ...
    lake.scan("project", "p1", ago(days=1), KEY, version=ago(days=10))
    lake.write(ago(days=1))
    assert _state(lake.build()) == ("resolved", "value_removed")
    # ... and an edit after the last scan brings the key back
    lake.scan("project", "p1", ago(hours=1), KEY, version=ago(hours=2))
    assert _state(lake.build()) == ("open", None)
