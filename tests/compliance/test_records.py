"""Typed records, their Arrow schemas, and malformed records that do not stop a walk."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fake_compliance_api import Reply, pages_by_token

from casb_pipeline.compliance import STREAMS, MalformedRecord, records_to_table, schema
from casb_pipeline.compliance.parsing import InvalidField, parse_object
from casb_pipeline.compliance.records import Activity, Chat, ChatMessage, ProjectCollaborator

SECRET_TEXT = "sk_live_DO_NOT_LEAK_4242"
START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2026, 10, 2, tzinfo=UTC)

MESSAGE = {
    "id": "claude_chat_msg_1",
    "role": "assistant",
    "created_at": "2026-10-02T14:21:31.123456Z",
    "content": [
        {
            "type": "tool_use",
            "id": "toolu_1",
            "name": "search_drive",
            "input": '{"query": "indemnity"}',
            "integration_name": "Google Drive",
            "mcp_server_url": None,
            "truncated": False,
        },
        {
            "type": "tool_result",
            "tool_use_id": "toolu_1",
            "name": "search_drive",
            "is_error": False,
            "content": [
                {"type": "text", "text": "2 found"},
                {"type": "image"},
                {"type": "text", "text": "done"},
            ],
        },
        {
            "type": "text",
            "text": "Three clauses changed",
            "thinking_redacted": True,
            "truncated": False,
        },
        {"type": "brand_new_block", "text": None, "surprise": {"nested": 1}},
    ],
    "files": [
        {
            "id": "claude_file_1",
            "filename": "msa.docx",
            "mime_type": None,
            "size_bytes": 48211,
            "md5": "9e107d9d372bb6826bd81d3542a419d6",
            "created_at": "2026-10-02T14:21:05+00:00",
        }
    ],
    "generated_files": None,
    "artifacts": [
        {
            "id": "claude_artifact_1",
            "version_id": "claude_artifact_version_1",
            "title": "Redlines",
            "artifact_type": "text/markdown",
        }
    ],
    "a_field_from_the_future": [1, 2, 3],
}


def test_message_flattens_blocks_and_keeps_the_raw_object():
    context = {"chat_id": "claude_chat_1", "chat_updated_at": START}
    message = parse_object(ChatMessage, MESSAGE, context)

    tool_use, tool_result, text, unknown = message.content
    assert (tool_use.type, tool_use.id, tool_use.input) == (
        "tool_use",
        "toolu_1",
        '{"query": "indemnity"}',
    )
    assert tool_result.content_text == "2 found\ndone"
    assert tool_result.is_error is False
    assert (text.text, text.thinking_redacted) == ("Three clauses changed", True)
    assert unknown.type == "brand_new_block"  # unknown kinds pass through
    assert message.files[0].created_at == datetime(2026, 10, 2, 14, 21, 5, tzinfo=UTC)
    assert message.created_at.microsecond == 123456
    assert message.artifacts[0].version_id == "claude_artifact_version_1"
    assert json.loads(message._raw) == MESSAGE
    assert "Three clauses" not in repr(message)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-10T08:09:10Z", datetime(2026, 4, 10, 8, 9, 10, tzinfo=UTC)),
        ("2026-04-10T08:09:10+00:00", datetime(2026, 4, 10, 8, 9, 10, tzinfo=UTC)),
        ("2026-04-10T10:09:10+02:00", datetime(2026, 4, 10, 8, 9, 10, tzinfo=UTC)),
        ("2025-03-12T18:22:41.123456", datetime(2025, 3, 12, 18, 22, 41, 123456, tzinfo=UTC)),
        ("2025-03-12T18:22:41.123456789Z", datetime(2025, 3, 12, 18, 22, 41, 123456, tzinfo=UTC)),
    ],
)
def test_timestamps_are_parsed_leniently_into_utc(text, expected):
    chat = parse_object(Chat, {"id": "c", "updated_at": text})
    assert chat.updated_at == expected


def test_tool_input_sent_as_an_object_is_encoded():
    block = {"type": "tool_use", "input": {"q": "x"}}
    message = parse_object(ChatMessage, {"id": "m", "content": [block]}, {"chat_id": "c"})
    assert message.content[0].input == '{"q":"x"}'


def test_activity_flattens_the_actor_and_common_fields():
    raw = {
        "id": "activity_1",
        "created_at": "2026-10-02T14:21:07Z",
        "organization_uuid": "3f6c",
        "type": "claude_project_sharing_updated",
        "actor": {
            "type": "user_actor",
            "user_id": "user_1",
            "email_address": "r@example.com",
            "ip_address": "198.51.100.23",
            "user_agent": "Mozilla",
        },
        "claude_project_id": "claude_proj_1",
        "audience": [{"type": "public"}, {"type": "organization"}],
    }
    activity = parse_object(Activity, raw)
    assert (activity.actor_type, activity.actor_user_id, activity.actor_ip_address) == (
        "user_actor",
        "user_1",
        "198.51.100.23",
    )
    assert activity.audience == ["public", "organization"]
    assert activity.claude_project_id == "claude_proj_1"


def test_type_specific_fields_of_an_odd_shape_stay_only_in_raw():
    raw = {
        "id": "a",
        "created_at": "2026-10-02T14:21:07Z",
        "type": "new_kind",
        "actor": {"type": "scim_directory_sync_actor", "user_agent": 12},
        "claude_file_id": {"weird": True},
        "audience": 5,
    }
    activity = parse_object(Activity, raw)
    assert activity.claude_file_id is None
    assert activity.audience is None
    assert activity.actor_user_agent is None
    assert json.loads(activity._raw)["claude_file_id"] == {"weird": True}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"name": "no id", "updated_at": "2026-10-02T00:00:00Z"}, "id: missing"),
        ({"id": 17, "updated_at": "2026-10-02T00:00:00Z"}, "id: expected a string"),
        ({"id": "c", "updated_at": "yesterday"}, "updated_at: not an ISO 8601 timestamp"),
        ({"id": "c", "updated_at": "2026-10-02T00:00:00Z", "user": "bob"}, "user is not an object"),
    ],
)
def test_invalid_records_name_the_field(raw, reason):
    with pytest.raises(InvalidField, match=reason):
        parse_object(Chat, raw)


def test_collaborator_principal_columns():
    grants = [
        {
            "type": "user",
            "user_id": "user_1",
            "role": "owner",
            "granted_at": "2026-08-14T10:03:22Z",
        },
        {"type": "group", "group_id": "rbac_group_1", "role": "editor"},
        {"type": "organization", "organization_uuid": "3f6c", "role": "viewer"},
        {"type": "organization_role", "organization_role": "admin", "role": "viewer"},
    ]
    rows = [parse_object(ProjectCollaborator, g, {"project_id": "claude_proj_1"}) for g in grants]
    assert [
        (r.type, r.user_id, r.group_id, r.organization_uuid, r.organization_role) for r in rows
    ] == [
        ("user", "user_1", None, None, None),
        ("group", None, "rbac_group_1", None, None),
        ("organization", None, None, "3f6c", None),
        ("organization_role", None, None, None, "admin"),
    ]


def test_malformed_records_are_reported_and_the_walk_continues(api, make_client):
    pages = {
        None: [
            {"id": "claude_chat_1", "updated_at": "2026-10-01T01:00:00Z"},
            {"id": "claude_chat_2", "updated_at": "not a time", "name": SECRET_TEXT},
        ],
        "cursor_1": [
            {"id": "claude_chat_3", "updated_at": "2026-10-01T03:00:00Z"},
            {"name": SECRET_TEXT, "updated_at": "2026-10-01T03:00:00Z"},
        ],
        "cursor_2": [
            "not even an object",
            {"id": "claude_chat_4", "updated_at": "2026-10-01T04:00:00Z"},
        ],
    }
    following = {None: "cursor_1", "cursor_1": "cursor_2", "cursor_2": None}

    def serve(seen):
        cursor = seen.query.get("after_id", [None])[0]
        nxt = following[cursor]
        body = {"data": pages[cursor], "has_more": nxt is not None, "first_id": "f", "last_id": nxt}
        return Reply(json=body, headers={"request-id": f"req_{cursor}"})

    api.route("GET", "/v1/compliance/apps/chats", serve)
    reported: list[MalformedRecord] = []
    client = make_client(page_size=2, on_malformed=reported.append)

    ids = [chat.id for chat in client.chats_updated(START, END)]

    assert ids == ["claude_chat_1", "claude_chat_3", "claude_chat_4"]
    assert [(m.stream, m.record_id, m.request_id) for m in reported] == [
        ("chats", "claude_chat_2", "req_None"),
        ("chats", None, "req_cursor_1"),
        ("chats", None, "req_cursor_2"),
    ]
    assert reported[0].reason == "updated_at: not an ISO 8601 timestamp"
    assert reported[2].reason == "expected a JSON object"
    assert all(SECRET_TEXT not in str(m) for m in reported)
    assert client.stats.snapshot()["malformed_records"] == {"chats": 3}
    assert client.malformed == []  # the callback took them


def test_malformed_records_collect_on_the_client_by_default(api, make_client):
    api.route(
        "GET",
        "/v1/compliance/apps/projects",
        Reply(json={"data": [{"id": "claude_proj_1"}, {"id": 5}], "has_more": False}),
    )
    client = make_client()
    assert [p.id for p in client.projects()] == ["claude_proj_1"]
    (bad,) = client.malformed
    assert (bad.stream, bad.reason) == ("projects", "id: expected a string")


def test_malformed_single_object_raises(api, make_client):
    api.route(
        "GET", "/v1/compliance/apps/projects/claude_proj_1", Reply(json={"name": SECRET_TEXT})
    )
    with pytest.raises(MalformedRecord) as caught:
        make_client().project("claude_proj_1")
    assert SECRET_TEXT not in str(caught.value)


def test_malformed_message_keeps_the_rest_of_the_chat(api, make_client):
    body = {
        "id": "claude_chat_1",
        "updated_at": "2026-10-01T00:00:00Z",
        "chat_messages": [
            MESSAGE,
            {**MESSAGE, "id": "m2", "files": [{"id": 3}]},
            {**MESSAGE, "id": "m3"},
        ],
        "has_more": False,
    }
    api.route("GET", "/v1/compliance/apps/chats/claude_chat_1/messages", Reply(json=body))
    client = make_client()
    whole = client.chat_messages("claude_chat_1")
    assert [m.id for m in whole.messages] == ["claude_chat_msg_1", "m3"]
    (bad,) = client.malformed
    assert (bad.stream, bad.record_id, bad.reason) == (
        "chat_messages",
        "m2",
        "files[0]: id: expected a string",
    )


def test_every_stream_has_a_schema_with_raw_and_bookkeeping_columns():
    for name in STREAMS:
        fields = schema(name)
        assert fields.names[-3:] == ["_raw", "_extracted_at", "_partition"]
        assert fields.field("_extracted_at").type == pa.timestamp("us", tz="UTC")
        for key in STREAMS[name].key:
            assert key in fields.names


def test_records_round_trip_through_parquet(tmp_path):
    context = {"chat_id": "claude_chat_1", "chat_updated_at": START}
    rows = [
        parse_object(ChatMessage, MESSAGE, context),
        parse_object(ChatMessage, {"id": "m2", "content": [], "files": None}, context),
    ]
    table = records_to_table("chat_messages", rows, extracted_at=END, partition="2026-10-01")
    assert table.schema == schema("chat_messages")
    pq.write_table(table, tmp_path / "messages.parquet")

    back = pq.read_table(tmp_path / "messages.parquet").to_pylist()
    first, second = back
    assert first["content"][1]["content_text"] == "2 found\ndone"
    assert first["content"][0]["text"] is None
    assert first["files"][0]["size_bytes"] == 48211
    assert first["created_at"] == datetime(2026, 10, 2, 14, 21, 31, 123456, tzinfo=UTC)
    assert first["_partition"] == "2026-10-01"
    assert first["_extracted_at"] == END
    assert second["content"] == [] and second["files"] is None


def test_empty_tables_and_wrong_record_types():
    assert records_to_table("chats", []).num_rows == 0
    assert records_to_table("chats", []).schema == schema("chats")
    chat = parse_object(Chat, {"id": "c", "updated_at": "2026-10-02T00:00:00Z"})
    with pytest.raises(TypeError):
        records_to_table("projects", [chat])
    with pytest.raises(ValueError, match="unknown stream"):
        schema("chatz")


def test_users_carry_the_organization_they_were_listed_under(api, make_client):
    users = [
        {"id": f"user_{i}", "email": f"u{i}@example.com", "organization_role": "brand_new_role"}
        for i in range(3)
    ]
    api.route(
        "GET", "/v1/compliance/organizations/org-a/users", lambda seen: pages_by_token(users, seen)
    )
    listed = list(make_client(page_size=2).users("org-a"))
    assert [(u.id, u.organization_uuid) for u in listed] == [
        (f"user_{i}", "org-a") for i in range(3)
    ]
    assert listed[0].organization_role == "brand_new_role"
