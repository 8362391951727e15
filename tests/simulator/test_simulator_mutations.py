"""Changes between runs and deletions, seen through the API as a pipeline would see them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from conftest import api_client, walk_cursor, walk_pages

from casb_pipeline.simulator import Simulator
from casb_pipeline.simulator.store import UnknownRecord


@pytest.fixture
def http(fresh: Simulator):
    with api_client(fresh) as client:
        yield client


def _moment(offset_minutes: int) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=offset_minutes)


def _activities(http: httpx.Client, kind: str) -> list[dict]:
    return walk_cursor(http, "/activities", {"activity_types[]": kind, "limit": 5000})


def test_add_chats_resurface_in_the_updated_walk_with_activities(
    fresh: Simulator, http: httpx.Client
) -> None:
    before = walk_cursor(http, "/apps/chats", {"order_by": "updated_at", "limit": 1000})
    resume = before[-1]
    cursor = http.get("/apps/chats", params={"order_by": "updated_at", "limit": 1000}).json()[
        "last_id"
    ]
    at = _moment(5)
    added = fresh.add_chats(3, at=at)
    assert len(added) == 3 and set(added) <= fresh.expected_ids("chats")
    newer = walk_cursor(http, "/apps/chats", {"order_by": "updated_at", "after_id": cursor})
    assert [c["id"] for c in newer] == sorted(added)
    assert all(c["updated_at"] == at.strftime("%Y-%m-%dT%H:%M:%SZ") for c in newer)
    assert resume["id"] not in {c["id"] for c in newer}
    created = {a["claude_chat_id"] for a in _activities(http, "claude_chat_created")}
    assert set(added) <= created
    for chat_id in added:
        messages = http.get(f"/apps/chats/{chat_id}/messages").json()["chat_messages"]
        assert messages and messages[-1]["created_at"] <= at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_append_message_bumps_updated_at_and_moves_the_chat_to_the_end(
    fresh: Simulator, http: httpx.Client
) -> None:
    walk = walk_cursor(http, "/apps/chats", {"order_by": "updated_at", "limit": 1000})
    oldest = walk[0]
    last_id = walk_cursor_last(http)
    message_id = fresh.append_message(
        oldest["id"], "One more question about the budget", at=_moment(1)
    )
    assert message_id in fresh.expected_ids("chat_messages")
    newer = walk_cursor(http, "/apps/chats", {"order_by": "updated_at", "after_id": last_id})
    assert [c["id"] for c in newer] == [oldest["id"]]
    messages = http.get(f"/apps/chats/{oldest['id']}/messages").json()["chat_messages"]
    assert messages[-1]["id"] == message_id
    assert messages[-1]["content"][0]["text"] == "One more question about the budget"


def walk_cursor_last(http: httpx.Client) -> str:
    query: dict[str, object] = {"order_by": "updated_at", "limit": 1000}
    while True:
        body = http.get("/apps/chats", params=query).json()
        if not body["has_more"]:
            return body["last_id"]
        query["after_id"] = body["last_id"]


def test_user_deleted_chat_stays_listed_without_content(
    fresh: Simulator, http: httpx.Client
) -> None:
    with_files = sorted(fresh.expected_ids("chat_files"))[0]
    meta = http.get(f"/apps/chats/files/{with_files}").json()
    chat_id = meta["claude_chat_ids"][0]
    message_count = len(http.get(f"/apps/chats/{chat_id}/messages").json()["chat_messages"])
    fresh.user_delete_chat(chat_id, at=_moment(2))
    chat = http.get(f"/apps/chats/{chat_id}/messages").json()
    assert chat["name"] == "" and chat["deleted_at"] is not None
    assert len(chat["chat_messages"]) == message_count
    assert all(m["content"] == [] and m["files"] is None for m in chat["chat_messages"])
    assert http.get(f"/apps/chats/files/{with_files}/content").status_code == 404
    assert chat_id in fresh.expected_ids("chats") and with_files not in fresh.expected_ids(
        "chat_files"
    )
    assert chat_id in {a["claude_chat_id"] for a in _activities(http, "claude_chat_deleted")}
    latest = walk_cursor(http, "/apps/chats", {"order_by": "updated_at", "limit": 1000})[-1]
    assert latest["id"] == chat_id


def test_generated_user_deletions_are_already_there(sim: Simulator, client: httpx.Client) -> None:
    chats = walk_cursor(client, "/apps/chats", {"limit": 1000})
    deleted = [c for c in chats if c["deleted_at"]]
    assert deleted and all(c["name"] == "" for c in deleted)
    deletions = {a["claude_chat_id"] for a in _activities(client, "claude_chat_deleted")}
    assert {c["id"] for c in deleted} == deletions


def test_update_project_visibility_and_description(fresh: Simulator, http: httpx.Client) -> None:
    project = next(
        p for p in walk_pages(http, "/apps/projects", {}) if p["is_private"] and not p["deleted_at"]
    )
    at = _moment(3)
    fresh.update_project(
        project["id"], description="Shared with everyone now", is_private=False, at=at
    )
    detail = http.get(f"/apps/projects/{project['id']}").json()
    assert detail["description"] == "Shared with everyone now" and detail["is_private"] is False
    assert detail["updated_at"] == at.strftime("%Y-%m-%dT%H:%M:%SZ")
    window = walk_pages(http, "/apps/projects", {"updated_at.gte": detail["updated_at"]})
    assert [p["id"] for p in window] == [project["id"]]
    grants = walk_pages(http, f"/apps/projects/{project['id']}/collaborators", {})
    assert "organization" in {g["type"] for g in grants}
    sharing = [
        a
        for a in _activities(http, "claude_project_sharing_updated")
        if a["claude_project_id"] == project["id"]
    ]
    assert sharing[0]["audience"] == [{"type": "organization"}]
    fresh.update_project(project["id"], is_private=True, at=_moment(1))
    again = _activities(http, "claude_project_sharing_updated")
    assert again[0]["claude_project_id"] == project["id"] and again[0]["audience"] == []


def test_user_deleted_project_keeps_listing_with_deleted_at(
    fresh: Simulator, http: httpx.Client
) -> None:
    project = next(p for p in walk_pages(http, "/apps/projects", {}) if not p["deleted_at"])
    fresh.user_delete_project(project["id"], at=_moment(1))
    detail = http.get(f"/apps/projects/{project['id']}").json()
    assert detail["deleted_at"] is not None
    assert http.get(f"/apps/projects/{project['id']}/attachments").json()["data"] == []
    assert project["id"] in {
        a["claude_project_id"] for a in _activities(http, "claude_project_deleted")
    }


def test_api_delete_chat_file_document_and_project(fresh: Simulator, http: httpx.Client) -> None:
    file_id = sorted(fresh.expected_ids("chat_files"))[0]
    assert http.delete(f"/apps/chats/files/{file_id}").json() == {
        "id": file_id,
        "type": "claude_file_deleted",
    }
    assert http.get(f"/apps/chats/files/{file_id}").status_code == 404
    assert file_id not in fresh.expected_ids("chat_files")
    chat_id = sorted(fresh.expected_ids("chats"))[0]
    assert http.delete(f"/apps/chats/{chat_id}").json()["type"] == "claude_chat_deleted"
    assert http.get(f"/apps/chats/{chat_id}/messages").status_code == 404
    assert http.delete(f"/apps/chats/{chat_id}").status_code == 404
    assert chat_id not in {c["id"] for c in walk_cursor(http, "/apps/chats", {"limit": 1000})}
    document = sorted(fresh.expected_ids("project_documents"))[0]
    assert http.delete(f"/apps/projects/documents/{document}").json()["type"] == (
        "claude_project_document_deleted"
    )
    gone = http.delete(f"/apps/projects/documents/{document}")
    assert gone.status_code == 404 and "already been deleted" in gone.json()["error"]["message"]
    projects = walk_pages(http, "/apps/projects", {})
    chats = walk_cursor(http, "/apps/chats", {"limit": 1000})
    busy = next(p for p in projects if any(c["project_id"] == p["id"] for c in chats))
    refused = http.delete(f"/apps/projects/{busy['id']}")
    assert refused.status_code == 409
    assert refused.json()["error"]["type"] == "invalid_request_error"
    for chat in chats:
        if chat["project_id"] == busy["id"]:
            http.delete(f"/apps/chats/{chat['id']}").raise_for_status()
    assert http.delete(f"/apps/projects/{busy['id']}").json()["type"] == "claude_project_deleted"
    assert http.get(f"/apps/projects/{busy['id']}").status_code == 404
    assert busy["id"] not in fresh.expected_ids("projects")


def test_mutations_name_unknown_records_clearly(fresh: Simulator) -> None:
    with pytest.raises(UnknownRecord, match="no chat"):
        fresh.append_message("claude_chat_01nope", "hi")
    with pytest.raises(UnknownRecord, match="no project"):
        fresh.user_delete_project("claude_proj_01nope")
