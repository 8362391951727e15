"""findings.ocsf.jsonl: one OCSF 1.3 Detection Finding per row of the findings mart."""

from __future__ import annotations

import json
from typing import Any

from tests.reporting.conftest import Exported
from tests.reporting.report_lake import OPEN_PROJECT

# OCSF 1.3 enumerations (severity_id, finding status_id, finding activity_id).
SEVERITY_ID = {"low": 2, "medium": 3, "high": 4, "critical": 5}
STATUS = {"open": (1, "New", 1), "resolved": (4, "Resolved", 3), "ignored": (3, "Suppressed", 3)}
REQUIRED = ("activity_id", "category_uid", "class_uid", "severity_id", "time", "type_uid")


def nulls(value: Any, path: str = "$") -> list[str]:
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in nulls(v, f"{path}[{i}]")]
    return []


def millis(moment: Any) -> int:
    return int(moment.timestamp() * 1000)


def test_every_finding_is_one_detection_finding_event(exported: Exported) -> None:
    events = [json.loads(line) for line in exported.text("findings").splitlines()]
    rows = exported.rows("select * from findings")
    assert len(events) == len(rows) == exported.result.counts["findings"]
    by_uid = {event["finding_info"]["uid"]: event for event in events}
    assert set(by_uid) == {row["finding_id"] for row in rows}
    assert {row["status"] for row in rows} == set(STATUS)  # every lifecycle state is mapped

    for row in rows:
        event = by_uid[row["finding_id"]]
        assert all(name in event for name in REQUIRED), event
        assert (event["class_uid"], event["category_uid"]) == (2004, 2)
        status_id, status, activity_id = STATUS[row["status"]]
        assert event["activity_id"] == activity_id
        assert event["type_uid"] == 2004 * 100 + activity_id
        assert (event["status_id"], event["status"]) == (status_id, status)
        assert event.get("status_detail") == row["resolution"]
        assert event["severity_id"] == SEVERITY_ID[row["severity"]]
        assert event["severity"].lower() == row["severity"]
        info = event["finding_info"]
        assert info["first_seen_time"] == millis(row["first_seen_at"])
        assert info["last_seen_time"] == millis(row["last_seen_at"]) == event["time"]
        assert row["detector"] in info["title"] and row["detector"] in info["types"]
        assert row["masked"] in info["desc"]
        resource = event["resources"][0]
        assert (resource["uid"], resource["type"]) == (row["source_id"], row["source_type"])
        assert resource["owner"].get("email_addr") == row["user_email"]
        observables = {(o["type_id"], o["value"]) for o in event["observables"]}
        assert (10, row["source_id"]) in observables
        assert (99, row["fingerprint"]) in observables
        assert event["unmapped"]["fingerprint"] == row["fingerprint"]
        metadata = event["metadata"]
        assert metadata["version"] == "1.3.0"
        assert metadata["product"]["name"] == "casb-pipeline" and metadata["product"]["version"]
        assert nulls(event) == []


def test_related_chat_and_project_are_extra_resources(exported: Exported) -> None:
    events = [json.loads(line) for line in exported.text("findings").splitlines()]
    by_source = {e["resources"][0]["uid"]: e["resources"] for e in events}
    in_chat = by_source["claude_chat_msg_b1"]
    assert [(r["type"], r["uid"]) for r in in_chat[1:]] == [
        ("chat", "claude_chat_bob"),
        ("project", OPEN_PROJECT),
    ]
    on_project = by_source[OPEN_PROJECT]
    assert [r["type"] for r in on_project] == ["project"]  # the project is the source itself
    assert on_project[0]["data"]["part"] == "description"
    in_archive = by_source["claude_file_zip"][0]
    assert in_archive["data"]["part"] == "member:…!sheet:…"  # names users chose, left out
