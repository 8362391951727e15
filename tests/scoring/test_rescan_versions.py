"""Re-running an old partition re-scans an old copy of a project or message: the
findings mart must still take the source's latest version, whatever order the
partitions were (re)run in."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import dagster as dg
import duckdb
import polars as pl
import pyarrow.parquet as pq

from casb_pipeline.simulator.planted import planted_snippet
from casb_pipeline.warehouse import build_warehouse, load_models
from casb_pipeline.warehouse.sources import lake_sources
from tests.scoring.lake_fixture import FIRST_DAY, LakeFixture, at, materialize, text_block

D1 = FIRST_DAY
D5 = FIRST_DAY + timedelta(days=4)


def secret(detector: str, seed: int) -> str:
    return planted_snippet(detector, random.Random(seed), "example-corp.com").text


def write_days(fixture: LakeFixture) -> None:
    """D1: a project whose description holds a key, a chat whose message m1 holds one
    and whose m2 holds another, and a file. D5: the description edited clean; the chat
    updated, m1 edited clean, m2 unchanged."""
    key, token, card = (
        secret("stripe_secret_key", 1),
        secret("github_token", 2),
        secret("credit_card_number", 3),
    )
    for day, description, m1 in ((D1, key, token), (D5, "No secrets here.", "(removed)")):
        fixture.write(
            "projects",
            day,
            [{"id": "p1", "name": "Payments", "description": description, "updated_at": at(day)}],
        )
        fixture.write(
            "chat_messages",
            day,
            [
                fixture.message("m1", "c1", [text_block(m1)], chat_updated_at=at(day)),
                fixture.message("m2", "c1", [text_block(card)], chat_updated_at=at(day)),
            ],
        )
    fixture.content(D1, "chat_file", "claude_file_1", token.encode(), filename="notes.txt")
    fixture.flush_contents()


def findings(fixture: LakeFixture) -> dict[str, dict[str, Any]]:
    """The findings mart of a fresh warehouse build, by source id."""
    target = fixture.data_dir / "warehouse.duckdb"
    build_warehouse(target, lake_sources(fixture.lake), load_models())
    with duckdb.connect(str(target), read_only=True) as con:
        rows = con.sql("select * from findings").pl()
    assert rows["source_id"].is_unique().all()
    return {row["source_id"]: row for row in rows.iter_rows(named=True)}


def states(rows: dict[str, dict[str, Any]]) -> dict[str, tuple[str, str | None]]:
    return {source: (row["status"], row["resolution"]) for source, row in rows.items()}


def test_rerunning_an_old_partition_does_not_reopen_what_a_later_version_resolved(
    fixture: LakeFixture, instance: dg.DagsterInstance
) -> None:
    write_days(fixture)
    assert materialize(fixture, instance, first=D1, last=D5).success
    resolved = {
        "p1": ("resolved", "value_removed"),
        "m1": ("resolved", "value_removed"),
        "m2": ("open", None),
        "claude_file_1": ("open", None),
    }
    first = findings(fixture)
    assert states(first) == resolved

    scans = fixture.read("scans")
    versions = {(row["source_id"], row["source_updated_at"]) for row in scans.iter_rows(named=True)}
    assert versions == {
        ("p1", at(D1)),
        ("p1", at(D5)),
        ("m1", at(D1)),
        ("m1", at(D5)),
        ("m2", at(D1)),
        ("m2", at(D5)),
        ("claude_file_1", None),  # immutable under its id: no version
    }
    found = fixture.read("findings").select("source_id", "source_updated_at").unique()
    assert set(found.rows()) == {
        ("p1", at(D1)),
        ("m1", at(D1)),
        ("m2", at(D1)),
        ("m2", at(D5)),
        ("claude_file_1", None),
    }

    # Back-filling D1 alone re-scans the old copies, at a later scan time.
    assert materialize(fixture, instance, ["dlp_findings"], first=D1, last=D1).success
    rescanned = fixture.read("scans").filter(pl.col("source_id") == "p1")
    assert rescanned["scanned_at"].n_unique() == 2
    again = findings(fixture)
    assert states(again) == resolved
    # The unchanged message keeps its latest version's sighting and the first run's times.
    for column in ("first_seen_at", "last_seen_at", "start", "masked", "finding_id"):
        assert again["m2"][column] == first["m2"][column], column
    assert again["p1"]["resolved_at"] == first["p1"]["resolved_at"]

    # Running D5 again after D1 changes nothing either.
    assert materialize(fixture, instance, ["dlp_findings"], first=D5, last=D5).success
    assert states(findings(fixture)) == resolved


def test_a_source_version_back_in_a_later_partition_reopens(
    fixture: LakeFixture, instance: dg.DagsterInstance
) -> None:
    """The order is by version, not by partition: when the key comes back in a later
    edit, the finding is open again."""
    write_days(fixture)
    later = D5 + timedelta(days=1)
    fixture.write(
        "projects",
        later,
        [
            {
                "id": "p1",
                "name": "Payments",
                "description": secret("stripe_secret_key", 1),
                "updated_at": at(later),
            }
        ],
    )
    assert materialize(fixture, instance, first=D1, last=later).success
    row = findings(fixture)["p1"]
    assert (row["status"], row["resolution"]) == ("open", None)
    assert fixture.read("findings").filter(pl.col("source_id") == "p1").height == 2


def test_findings_written_before_the_version_column_are_still_read(
    fixture: LakeFixture, instance: dg.DagsterInstance
) -> None:
    write_days(fixture)
    assert materialize(fixture, instance, first=D1, last=D5).success
    first_seen = fixture.read("findings").filter(pl.col("source_id") == "m2")["first_seen_at"]
    for path in [*fixture.lake.files("findings"), *fixture.lake.files("scans")]:
        pq.write_table(pq.read_table(path).drop_columns(["source_updated_at"]), path)

    assert materialize(fixture, instance, ["dlp_findings"], first=D5, last=D5).success
    (d5,) = fixture.lake.partition_files("findings", D5)
    rows = pl.read_parquet(d5).filter(pl.col("source_id") == "m2")
    assert rows["first_seen_at"].to_list() == [first_seen.min()]
    assert rows["source_updated_at"].to_list() == [at(D5)]
    assert set(findings(fixture)) == {"p1", "m1", "m2", "claude_file_1"}
