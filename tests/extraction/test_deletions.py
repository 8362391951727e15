"""Deletions reach the lake as tombstones or as user-deleted rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

from casb_pipeline.compliance import Activity, ComplianceClient
from casb_pipeline.compliance.parsing import parse_object
from casb_pipeline.extraction.feed import deleted_object
from tests.extraction.conftest import ANCHOR, Pipeline


def _activity(**fields: object) -> Activity:
    body = {
        "id": "activity_1",
        "created_at": "2026-11-20T10:00:00Z",
        "actor": {"type": "api_actor"},
    }
    body.update(fields)
    return parse_object(Activity, body | {"_raw": json.dumps(body)})


def test_deletion_events_and_api_delete_calls_name_their_object() -> None:
    assert deleted_object(
        _activity(type="claude_chat_deleted", claude_chat_id="claude_chat_9")
    ) == (
        "chat",
        "claude_chat_9",
    )
    call = {
        "type": "compliance_api_accessed",
        "request_method": "DELETE",
        "status_code": 200,
        "url": "https://api.anthropic.com/v1/compliance/apps/chats/files/claude_file_7",
    }
    assert deleted_object(_activity(**call)) == ("file", "claude_file_7")
    assert deleted_object(_activity(**call | {"status_code": 404})) is None
    assert deleted_object(_activity(**call | {"request_method": "GET"})) is None
    project_doc = call | {
        "url": "https://x/v1/compliance/apps/projects/documents/claude_proj_doc_3"
    }
    assert deleted_object(_activity(**project_doc)) == ("project_document", "claude_proj_doc_3")
    assert deleted_object(_activity(type="claude_chat_viewed", claude_chat_id="c")) is None


def test_user_and_api_deletes_are_flagged_in_staging(pipeline: Pipeline) -> None:
    sim = pipeline.simulator
    assert pipeline.materialize(sim.first_day, ANCHOR).success
    live = sorted(row[0] for row in pipeline.query("select id from stg_chats where not is_deleted"))
    by_user, by_api = live[0], live[1]
    sim.user_delete_chat(by_user, at=datetime.combine(ANCHOR, time(18), UTC))
    with ComplianceClient(sim.base_url, sim.api_key, rate_limit_rpm=0) as client:
        client.delete_chat(by_api)

    assert pipeline.materialize(ANCHOR, ANCHOR).success

    rows = dict(
        (row[0], row[1:])
        for row in pipeline.query(
            "select id, deleted_at is not null, tombstoned_at is not null, is_deleted "
            "from stg_chats"
        )
    )
    # A user's delete keeps the chat listed with deleted_at (and the feed reports it);
    # an API delete makes it vanish, which the deletion sweep notices.
    assert rows[by_user] == (True, True, True)
    assert rows[by_api] == (False, True, True)
    tombstones = dict(pipeline.query("select object_id, cause from stg_tombstones"))
    causes = {chat: tombstones.get(chat) for chat in (by_user, by_api)}
    assert causes == {by_user: "activity", by_api: "not_listed"}
    assert pipeline.query(
        f"select count(*) from stg_chat_messages where chat_id = '{by_user}' and text <> ''"  # noqa: S608
    ) == [(0,)]
