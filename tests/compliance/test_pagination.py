"""Both pagination schemes against a loopback server, including cursor safety on failures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fake_compliance_api import Reply, error, pages_by_cursor, pages_by_token

from casb_pipeline.compliance import PaginationError, ServerError

START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2026, 10, 2, tzinfo=UTC)


def _chat(index: int) -> dict[str, object]:
    return {
        "id": f"claude_chat_{index:03d}",
        "name": f"chat {index}",
        "created_at": "2026-10-01T00:00:00Z",
        "updated_at": f"2026-10-01T{index % 24:02d}:00:00Z",
        "deleted_at": None,
        "organization_uuid": "org-uuid",
        "user": {"id": f"user_{index % 3}", "email_address": f"u{index % 3}@example.com"},
    }


def _project(index: int) -> dict[str, object]:
    return {"id": f"claude_proj_{index:03d}", "name": f"p{index}", "is_private": index % 2 == 0}


@pytest.mark.parametrize("page_size", [1, 7, None])
def test_cursor_walk_reads_every_chat_once(api, make_client, page_size):
    chats = [_chat(i) for i in range(23)]
    api.route("GET", "/v1/compliance/apps/chats", lambda seen: pages_by_cursor(chats, seen))
    client = make_client(page_size=page_size)

    ids = [chat.id for chat in client.chats_updated(START, END)]

    assert ids == [chat["id"] for chat in chats]
    first = api.requests()[0].query
    assert first["order_by"] == ["updated_at"]
    assert first["updated_at.gte"] == ["2026-10-01T00:00:00Z"]
    assert first["updated_at.lt"] == ["2026-10-02T00:00:00Z"]
    expected_limit = str(page_size or 1000)
    assert all(seen.query["limit"] == [expected_limit] for seen in api.requests())
    assert len(api.requests()) == -(-23 // (page_size or 1000))


@pytest.mark.parametrize("page_size", [1, 7, None])
def test_token_walk_reads_every_project_once(api, make_client, page_size):
    projects = [_project(i) for i in range(16)]
    api.route("GET", "/v1/compliance/apps/projects", lambda seen: pages_by_token(projects, seen))
    client = make_client(page_size=page_size)

    assert [p.id for p in client.projects()] == [p["id"] for p in projects]
    assert all(seen.query["limit"] == [str(page_size or 100)] for seen in api.requests())


def test_failed_page_is_retried_with_the_same_cursor(api, make_client):
    chats = [_chat(i) for i in range(6)]
    api.route("GET", "/v1/compliance/apps/chats", lambda seen: pages_by_cursor(chats, seen))
    client = make_client(page_size=2)
    walk = client.chats_updated(START, END)
    first_two = [next(walk).id, next(walk).id]
    # the next page fails twice before it is served
    api.script(
        "GET",
        "/v1/compliance/apps/chats",
        error(503, "overloaded_error", "Overloaded"),
        Reply(no_response=True),
    )
    rest = [chat.id for chat in walk]

    assert first_two + rest == [chat["id"] for chat in chats]
    cursors = [seen.query.get("after_id", [None])[0] for seen in api.requests()]
    assert cursors == [
        None,
        "claude_chat_001",
        "claude_chat_001",
        "claude_chat_001",
        "claude_chat_003",
    ]


def test_chats_for_users_asks_ten_users_at_a_time(api, make_client):
    chats = [_chat(i) for i in range(4)]
    api.route("GET", "/v1/compliance/apps/chats", lambda seen: pages_by_cursor(chats, seen))
    client = make_client()
    users = [f"user_{i:02d}" for i in range(23)] + ["user_00"]

    listed = list(client.chats_for_users(users, created_gte=START))

    asked = [seen.query["user_ids[]"] for seen in api.requests()]
    assert [len(chunk) for chunk in asked] == [10, 10, 3]
    assert [user for chunk in asked for user in chunk] == [f"user_{i:02d}" for i in range(23)]
    assert all("order_by" not in seen.query for seen in api.requests())
    assert api.requests()[0].query["created_at.gte"] == ["2026-10-01T00:00:00Z"]
    assert len(listed) == 12
    assert list(client.chats_for_users([])) == []
    assert len(api.requests()) == 3  # no user ids must never become an org-wide query


def test_empty_token_pages_do_not_end_the_walk(api, make_client):
    pages = [
        {"data": [_project(1)], "has_more": True, "next_page": "t1"},
        {"data": [], "has_more": True, "next_page": "t2"},
        {"data": [_project(2)], "next_page": "t3"},  # session style: no has_more
        {"data": [_project(3)], "next_page": None},
    ]
    api.route(
        "GET",
        "/v1/compliance/apps/projects",
        lambda seen: Reply(json=pages[int(seen.query.get("page", ["t0"])[0][1:])]),
    )
    assert [p.id for p in make_client().projects()] == [
        "claude_proj_001",
        "claude_proj_002",
        "claude_proj_003",
    ]


def test_unpaginated_shape_is_one_page(api, make_client):
    api.route(
        "GET",
        "/v1/compliance/organizations",
        Reply(json={"data": [{"uuid": "a", "name": "A"}, {"uuid": "b", "name": "B"}]}),
    )
    assert [org.uuid for org in make_client().organizations()] == ["a", "b"]
    assert len(api.requests()) == 1


def test_has_more_false_wins_over_a_next_page(api, make_client):
    body = {"data": [_project(1)], "has_more": False, "next_page": "ignored"}
    api.route("GET", "/v1/compliance/apps/projects", Reply(json=body))
    assert len(list(make_client().projects())) == 1
    assert len(api.requests()) == 1


@pytest.mark.parametrize(
    ("path", "body", "walk"),
    [
        (
            "/v1/compliance/apps/chats",
            {"data": [_chat(1)], "has_more": True, "first_id": "x", "last_id": "x"},
            lambda client: list(client.chats_updated(START, END)),
        ),
        (
            "/v1/compliance/apps/chats",
            {"data": [], "has_more": True, "first_id": None, "last_id": None},
            lambda client: list(client.chats_updated(START, END)),
        ),
        (
            "/v1/compliance/apps/projects",
            {"data": [_project(1)], "has_more": True, "next_page": "same"},
            lambda client: list(client.projects()),
        ),
        (
            "/v1/compliance/apps/projects",
            {"data": [_project(1)], "has_more": True, "next_page": None},
            lambda client: list(client.projects()),
        ),
    ],
)
def test_a_cursor_that_does_not_move_stops_the_walk(api, make_client, path, body, walk):
    api.route("GET", path, Reply(json=body))
    with pytest.raises(PaginationError, match="did not advance"):
        walk(make_client())
    assert len(api.requests()) <= 2


def test_chat_messages_follow_cursors_when_the_server_pages(api, make_client):
    messages = [
        {
            "id": f"claude_chat_msg_{i}",
            "role": "user",
            "created_at": "2026-10-01T00:00:00Z",
            "content": [{"type": "text", "text": f"m{i}"}],
        }
        for i in range(5)
    ]
    chat = _chat(9)

    def serve(seen):
        page = pages_by_cursor(messages, seen, default_limit=1000).json
        return Reply(json={**chat, "chat_messages": page.pop("data"), **page})

    api.route("GET", "/v1/compliance/apps/chats/claude_chat_009/messages", serve)
    whole = make_client(page_size=2).chat_messages("claude_chat_009")

    assert [m.id for m in whole.messages] == [m["id"] for m in messages]
    assert whole.chat.id == "claude_chat_009"
    assert all(m.chat_id == "claude_chat_009" for m in whole.messages)
    assert all(m.chat_updated_at == whole.chat.updated_at for m in whole.messages)
    for seen in api.requests():
        assert seen.query["tool_use_input_max_chars"] == ["-1"]
        assert seen.query["tool_result_max_chars"] == ["-1"]
    assert len(api.requests()) == 3


def test_chat_messages_default_to_the_whole_chat_in_one_request(api, make_client):
    body = {**_chat(1), "chat_messages": [], "has_more": False, "first_id": None, "last_id": None}
    api.route("GET", "/v1/compliance/apps/chats/claude_chat_001/messages", Reply(json=body))
    make_client().chat_messages("claude_chat_001")
    assert "limit" not in api.requests()[0].query


def test_exhausted_retries_surface_the_last_error(api, make_client):
    api.route("GET", "/v1/compliance/apps/projects", error(503, "overloaded_error", "Overloaded"))
    client = make_client(max_retries=2)
    with pytest.raises(ServerError) as caught:
        list(client.projects())
    assert caught.value.status == 503
    assert len(api.requests()) == 3
    assert client.stats.snapshot()["retries_total"] == 2
