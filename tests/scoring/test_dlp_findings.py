"""The dlp_findings asset: planted values in messages, projects and file texts are
found where they are, first sightings carry over, clean sources are recorded, and
no raw value reaches the lake's findings and scans or Dagster's event log."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest

from casb_pipeline.simulator.planted import planted_snippet
from tests.scoring.lake_fixture import (
    DAY,
    LakeFixture,
    at,
    materialize,
    metadata,
    text_block,
    tool_result,
    tool_use,
)


@dataclass(frozen=True)
class Plant:
    source_type: str
    source_id: str
    part: str | None
    detector: str
    value: str


def snippet(detector: str, seed: int) -> tuple[str, str]:
    """A realistic passage holding one fresh value of ``detector``: (text, value)."""
    made = planted_snippet(detector, random.Random(seed), "example-corp.com")
    wanted = [value for kind, value in made.values if kind == detector]
    return made.text, wanted[0]


def xlsx_with(sheet: str, text: str) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Summary"
    workbook.active["A1"] = "quarterly numbers"
    workbook.create_sheet(sheet)["B2"] = text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Planted:
    plants: list[Plant]
    stale: str  # only in an older copy of a message: must not be reported
    clean_message: str


def build_lake(
    fixture: LakeFixture, extra_messages: list[dict] | None = None, redacted: str | None = None
) -> Planted:
    """The day's messages, projects and files; ``redacted`` names a message whose
    text has been replaced since (its values gone)."""
    plants: list[Plant] = []

    def plant(source_type: str, source_id: str, part: str | None, detector: str, seed: int) -> str:
        text, value = snippet(detector, seed)
        plants.append(Plant(source_type, source_id, part, detector, value))
        return text

    # Characters outside ASCII before the values: offsets must count characters.
    prefix = "Réunion à 9h — 会議の資料 🚀🚀 — merci !\n"
    text = prefix + plant("chat_message", "msg_text", None, "email_address", 1)
    text += "\n" + plant("chat_message", "msg_text", None, "us_ssn", 2)
    code = plant("chat_message", "msg_tools", None, "github_token", 3)
    result = plant("chat_message", "msg_tools", None, "iban", 4)
    stale_text, stale = snippet("credit_card_number", 5)
    messages = [
        fixture.message("msg_text", "chat_a", [text_block(text)]),
        fixture.message(
            "msg_tools",
            "chat_a",
            [
                text_block(""),  # dropped by the staging model: must not shift offsets
                text_block("Running it now ✓"),
                tool_use("toolu_1", {"code": f"# {code}\nprint('ok')"}),
                tool_result("toolu_1", f"éèê output\n{result}"),
            ],
        ),
        fixture.message(
            "msg_clean", "chat_b", [text_block("Nothing sensitive, just lunch plans.")]
        ),
        fixture.message("msg_empty", "chat_b", []),
        # The same message twice in the partition: only the latest copy counts.
        fixture.message(
            "msg_edited", "chat_b", [text_block(stale_text)], chat_updated_at=at(DAY, 1)
        ),
        fixture.message("msg_edited", "chat_b", [text_block("(removed)")]),
        *(extra_messages or []),
    ]
    messages = [
        fixture.message(m["id"], m["chat_id"], [text_block("redacted")])
        if m["id"] == redacted
        else m
        for m in messages
    ]
    fixture.write("chat_messages", DAY, messages)
    fixture.write(
        "projects",
        DAY,
        [
            {
                "id": "proj_1",
                "name": "Payroll migration",
                "description": plant("project", "proj_1", "description", "us_aba_routing", 6),
                "instructions": plant("project", "proj_1", "instructions", "stripe_secret_key", 7),
            },
            {"id": "proj_clean", "name": "Team offsite", "description": None},
        ],
    )
    notes = plant("chat_file", "claude_file_notes", None, "aws_access_key_id", 8)
    fixture.content(DAY, "chat_file", "claude_file_notes", notes.encode(), filename="notes.txt")
    sheet = plant("project_attachment", "claude_file_sheet", "sheet:Keys", "uk_nino", 9)
    fixture.content(DAY, "project_file", "claude_file_sheet", xlsx_with("Keys", sheet))
    fixture.flush_contents()
    fixture.write(
        "project_attachments",
        DAY,
        [{"id": "claude_file_sheet", "project_id": "proj_1", "type": "project_file"}],
    )
    return Planted(plants, stale, "msg_clean")


def source_texts(fixture: LakeFixture) -> dict[tuple[str, str, str | None], str]:
    """Every scanned text by (source_type, source_id, part): messages as the staging
    model builds them, project fields, and the file texts."""
    found = {
        ("chat_message", mid, None): text for mid, text in fixture.stage_message_texts().items()
    }
    for row in fixture.read("projects").iter_rows(named=True):
        for part in ("name", "description", "instructions"):
            found[("project", row["id"], part)] = row[part] or ""
    for row in fixture.read("texts").iter_rows(named=True):
        found[(row["source_type"], row["source_id"], row["part"])] = row["text"]
    return found


def located(fixture: LakeFixture) -> set[tuple[str, str, str | None, str, str]]:
    """Each finding as (source_type, source_id, part, detector, the text it points at)."""
    texts = source_texts(fixture)
    return {
        (
            row["source_type"],
            row["source_id"],
            row["part"],
            row["detector"],
            texts[(row["source_type"], row["source_id"], row["part"])][row["start"] : row["end"]],
        )
        for row in fixture.read("findings").iter_rows(named=True)
    }


def test_planted_values_are_found_where_they_are_and_never_written_raw(
    fixture: LakeFixture, instance: dg.DagsterInstance
) -> None:
    planted = build_lake(fixture)
    result = materialize(fixture, instance)
    assert result.success

    found = located(fixture)
    for p in planted.plants:
        assert (p.source_type, p.source_id, p.part, p.detector, p.value) in found, p.detector
    assert not any(value == planted.stale for *_, value in found)

    findings = fixture.read("findings")
    owners = {
        (r["source_id"], r["chat_id"], r["project_id"]) for r in findings.iter_rows(named=True)
    }
    assert ("msg_tools", "chat_a", None) in owners
    assert ("proj_1", None, "proj_1") in owners
    assert ("claude_file_sheet", None, "proj_1") in owners

    scans = fixture.read("scans")
    scanned = dict(zip(scans["source_id"], scans["chars"], strict=True))
    stage = fixture.stage_message_texts()
    for message_id in ("msg_text", "msg_tools", "msg_clean", "msg_empty", "msg_edited"):
        assert scanned[message_id] == len(stage[message_id]), message_id
    assert {"proj_1", "proj_clean", "claude_file_notes", "claude_file_sheet"} <= set(scanned)
    assert len(scans) == scans.select("source_type", "source_id").n_unique()
    clean = {"msg_clean", "msg_empty", "proj_clean"}
    assert clean.isdisjoint(findings["source_id"])

    meta = metadata(result, "dlp_findings")
    assert meta["findings"] == len(findings)
    assert sum(meta["findings_by_detector"].values()) == len(findings)
    assert meta["mb_scanned"] > 0

    raw = [p.value for p in planted.plants]
    assert_nowhere(raw, fixture, instance, result)


def assert_nowhere(
    values: list[str],
    fixture: LakeFixture,
    instance: dg.DagsterInstance,
    result: dg.ExecuteInProcessResult,
) -> None:
    """No value in the findings/scans files (bytes and decoded cells) nor in the run's
    Dagster events (logs, metadata, check results)."""
    files = [*fixture.lake.files("findings"), *fixture.lake.files("scans")]
    assert files
    for path in files:
        data = path.read_bytes()
        cells = "\n".join(
            str(value) for column in pq.read_table(path).to_pylist() for value in column.values()
        )
        for value in values:
            assert value.encode() not in data, path
            assert value not in cells, path
    events = "\n".join(repr(record) for record in instance.all_logs(result.run_id))
    assert "findings_by_detector" in events and "masked" in events  # metadata is in there
    for value in values:
        assert value not in events


def test_first_seen_carries_over_and_a_rerun_replaces_the_partition(
    fixture: LakeFixture, instance: dg.DagsterInstance
) -> None:
    planted = build_lake(fixture)
    assert materialize(fixture, instance).success
    first = fixture.read("findings")
    first_scan = first["scanned_at"][0]
    assert (first["first_seen_at"] == first_scan).all()

    text, value = snippet("jwt", 11)
    later = fixture.message("msg_later", "chat_c", [text_block(text)])
    build_lake(fixture, extra_messages=[later])  # same partition, one message more
    assert materialize(fixture, instance).success
    second = fixture.read("findings")
    assert len(fixture.lake.files("findings")) == 1  # replaced, not added to
    again = second.filter(pl.col("source_id") != "msg_later")
    assert again.height == first.height
    assert (again["first_seen_at"] == first_scan).all()
    assert (again["scanned_at"] > first_scan).all()
    new = second.filter(pl.col("source_id") == "msg_later")
    assert new["detector"].to_list() == ["jwt"]
    assert new["first_seen_at"][0] == new["scanned_at"][0] > first_scan
    found = located(fixture)
    assert ("chat_message", "msg_later", None, "jwt", value) in found

    # The value goes from its message: the re-run drops the finding, the scan remains.
    email = next(p for p in planted.plants if p.detector == "email_address")
    build_lake(fixture, extra_messages=[later], redacted="msg_text")
    assert materialize(fixture, instance, ["dlp_findings"]).success
    third = fixture.read("findings")
    assert "msg_text" not in third["source_id"].to_list()
    assert email.value not in {v for *_, v in located(fixture)}
    assert "msg_text" in fixture.read("scans")["source_id"].to_list()


PROFILES = """\
profiles:
  project_codes:
    severity: high
    rules:
      - name: codename
        keywords: ["BLUEHERON-7"]
"""


@pytest.mark.parametrize("source", ["config", "env"])
def test_custom_profiles_from_config_or_environment(
    fixture: LakeFixture,
    instance: dg.DagsterInstance,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    source: str,
) -> None:
    build_lake(fixture, [fixture.message("msg_code", "chat_d", [text_block("Ship BLUEHERON-7!")])])
    profiles = tmp_path / "profiles.yaml"
    profiles.write_text(PROFILES)
    run_config = None
    if source == "config":
        run_config = {"ops": {"dlp_findings": {"config": {"profiles_path": str(profiles)}}}}
    else:
        monkeypatch.setenv("CASB_DLP_PROFILES", str(profiles))
    assert materialize(fixture, instance, run_config=run_config).success
    custom = fixture.read("findings").filter(pl.col("detector") == "custom:codename")
    assert custom.select("source_id", "severity").rows() == [("msg_code", "high")]


def test_small_batches_find_the_same(fixture: LakeFixture, instance: dg.DagsterInstance) -> None:
    build_lake(fixture)
    assert materialize(fixture, instance).success
    whole = located(fixture)
    tiny = {"ops": {"dlp_findings": {"config": {"batch_rows": 1, "batch_mb": 1}}}}
    result = materialize(fixture, instance, ["dlp_findings"], run_config=tiny)
    assert result.success
    assert metadata(result, "dlp_findings")["batches"] > 5
    assert located(fixture) == whole
