"""Every endpoint's shape and pagination over HTTP, against what the simulator says it serves."""

from __future__ import annotations

import base64
import re

import httpx
import pytest
from conftest import walk_cursor, walk_pages

from casb_pipeline.simulator import Simulator

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_organizations_and_users(sim: Simulator, client: httpx.Client) -> None:
    orgs = walk_pages(client, "/organizations", {"limit": 1})
    assert 2 <= len(orgs) <= 3
    assert {o["uuid"] for o in orgs} == sim.expected_ids("organizations")
    assert [o["created_at"] for o in orgs] == sorted(o["created_at"] for o in orgs)
    assert all(set(o) == {"uuid", "name", "created_at"} for o in orgs)
    seen: dict[str, int] = {}
    for org in orgs:
        users = walk_pages(client, f"/organizations/{org['uuid']}/users", {"limit": 7})
        assert set(users[0]) == {"id", "email", "full_name", "organization_role", "created_at"}
        assert len({u["id"] for u in users}) == len(users)
        for user in users:
            seen[user["id"]] = seen.get(user["id"], 0) + 1
    assert set(seen) == sim.expected_ids("users")
    assert any(count > 1 for count in seen.values()), "some user belongs to several organizations"
    roles = {
        u["organization_role"]
        for o in orgs
        for u in walk_pages(client, f"/organizations/{o['uuid']}/users", {})
    }
    assert "primary_owner" in roles and "user" in roles


def test_unknown_organization_is_a_specific_404(client: httpx.Client) -> None:
    response = client.get("/organizations/00000000-0000-4000-8000-000000000000/users")
    assert response.status_code == 404
    assert "organization does not exist" in response.json()["error"]["message"]


@pytest.mark.parametrize("order_by", ["created_at", "updated_at"])
@pytest.mark.parametrize("size", [1, 7, 1000])
def test_org_wide_chat_walk_is_complete_and_sorted(
    sim: Simulator, client: httpx.Client, order_by: str, size: int
) -> None:
    chats = walk_cursor(client, "/apps/chats", {"order_by": order_by, "limit": size})
    ids = [c["id"] for c in chats]
    assert len(ids) == len(set(ids))
    assert set(ids) == sim.expected_ids("chats")
    keys = [(c[order_by], c["id"]) for c in chats]
    assert keys == sorted(keys)


def test_chat_shape_and_cursors_are_opaque_blobs(client: httpx.Client) -> None:
    body = client.get("/apps/chats", params={"limit": 3}).json()
    assert set(body) == {"data", "has_more", "first_id", "last_id"}
    base64.b64decode(body["first_id"], validate=True)
    chat = body["data"][0]
    assert set(chat) == {
        "id",
        "name",
        "created_at",
        "updated_at",
        "deleted_at",
        "href",
        "model",
        "organization_uuid",
        "organization_id",
        "project_id",
        "user",
    }
    assert chat["id"].startswith("claude_chat_") and chat["organization_id"].startswith("org_")
    assert ISO.match(chat["created_at"]) and set(chat["user"]) == {"id", "email_address"}


def test_updated_at_window_filters_the_org_wide_walk(client: httpx.Client) -> None:
    everything = walk_cursor(client, "/apps/chats", {"order_by": "updated_at", "limit": 1000})
    middle = sorted(c["updated_at"] for c in everything)[len(everything) // 2]
    window = {"order_by": "updated_at", "updated_at.gte": middle, "limit": 50}
    newer = walk_cursor(client, "/apps/chats", window)
    assert {c["id"] for c in newer} == {c["id"] for c in everything if c["updated_at"] >= middle}
    older = walk_cursor(client, "/apps/chats", {"order_by": "updated_at", "updated_at.lt": middle})
    assert len(older) + len(newer) == len(everything)


def test_per_user_listing_pages_both_ways_and_filters_projects(client: httpx.Client) -> None:
    everything = walk_cursor(client, "/apps/chats", {"limit": 1000})
    by_user: dict[str, list[dict]] = {}
    for chat in everything:
        by_user.setdefault(chat["user"]["id"], []).append(chat)
    user, chats = max(by_user.items(), key=lambda item: len(item[1]))
    forward = walk_cursor(client, "/apps/chats", {"user_ids[]": user, "limit": 2})
    assert [c["id"] for c in forward] == [c["id"] for c in chats]
    first = client.get("/apps/chats", params={"user_ids[]": user, "limit": 1}).json()
    rest = client.get(
        "/apps/chats", params={"user_ids[]": user, "after_id": first["last_id"]}
    ).json()
    assert [c["id"] for c in rest["data"]] == [c["id"] for c in chats[1:]]
    tail = client.get("/apps/chats", params={"user_ids[]": user, "limit": 1000}).json()
    before = client.get(
        "/apps/chats", params={"user_ids[]": user, "before_id": tail["last_id"], "limit": 2}
    ).json()
    assert [c["id"] for c in before["data"]] == [c["id"] for c in chats[-3:-1]]
    assert before["has_more"] == (len(chats) > 3)
    in_project = [c for c in everything if c["project_id"]]
    assert in_project, "some chats belong to projects"
    chat = in_project[0]
    listed = client.get(
        "/apps/chats",
        params={"user_ids[]": chat["user"]["id"], "project_ids[]": chat["project_id"]},
    ).json()["data"]
    assert chat["id"] in {c["id"] for c in listed}
    assert all(c["project_id"] == chat["project_id"] for c in listed)


def test_organization_filter_accepts_uuid_and_legacy_id(client: httpx.Client) -> None:
    everything = walk_cursor(client, "/apps/chats", {"limit": 1000})
    chat = everything[0]
    for value in (chat["organization_uuid"], chat["organization_id"]):
        chats = walk_cursor(client, "/apps/chats", {"organization_ids[]": value, "limit": 1000})
        assert {c["id"] for c in chats} == {
            c["id"] for c in everything if c["organization_uuid"] == chat["organization_uuid"]
        }


def test_messages_whole_chat_paged_and_reversed(sim: Simulator, client: httpx.Client) -> None:
    chats = walk_cursor(client, "/apps/chats", {"limit": 1000})
    longest = max(chats, key=lambda c: (c["updated_at"] > c["created_at"], c["id"]))
    whole = client.get(f"/apps/chats/{longest['id']}/messages").json()
    assert whole["has_more"] is False and whole["id"] == longest["id"]
    messages = whole["chat_messages"]
    assert [m["role"] for m in messages[:2]] == ["user", "assistant"]
    paged = walk_cursor(
        client, f"/apps/chats/{longest['id']}/messages", {"limit": 1}, key="chat_messages"
    )
    assert [m["id"] for m in paged] == [m["id"] for m in messages]
    backwards = client.get(f"/apps/chats/{longest['id']}/messages", params={"order": "desc"}).json()
    assert [m["id"] for m in backwards["chat_messages"]] == [m["id"] for m in reversed(messages)]
    if len(messages) > 2:
        cut = client.get(f"/apps/chats/{longest['id']}/messages", params={"limit": 2}).json()
        rest = client.get(
            f"/apps/chats/{longest['id']}/messages", params={"after_id": cut["last_id"]}
        ).json()
        back = client.get(
            f"/apps/chats/{longest['id']}/messages", params={"before_id": rest["first_id"]}
        ).json()
        assert [m["id"] for m in back["chat_messages"]] == [m["id"] for m in messages[:2]]
        later = client.get(
            f"/apps/chats/{longest['id']}/messages",
            params={"created_at.gt": messages[0]["created_at"]},
        ).json()
        assert [m["id"] for m in later["chat_messages"]] == [m["id"] for m in messages[1:]]


def test_every_message_is_listed_and_blocks_have_their_shape(
    sim: Simulator, client: httpx.Client
) -> None:
    seen: set[str] = set()
    kinds: set[str] = set()
    tool_fields = {"type", "id", "name", "input", "integration_name", "mcp_server_url", "truncated"}
    for chat_id in sim.expected_ids("chats"):
        body = client.get(
            f"/apps/chats/{chat_id}/messages", params={"tool_use_input_max_chars": -1}
        ).json()
        for message in body["chat_messages"]:
            seen.add(message["id"])
            assert set(message) == {
                "id",
                "role",
                "created_at",
                "content",
                "files",
                "generated_files",
                "artifacts",
            }
            for block in message["content"]:
                kinds.add(block["type"])
                if block["type"] == "tool_use":
                    assert set(block) == tool_fields and isinstance(block["input"], str)
                if block["type"] == "text":
                    assert set(block) == {"type", "text", "thinking_redacted", "truncated"}
    assert seen == sim.expected_ids("chat_messages")
    assert kinds == {"text", "tool_use", "tool_result"}


def test_activity_feed_desc_asc_and_cursors(sim: Simulator, client: httpx.Client) -> None:
    newest_first = walk_cursor(client, "/activities", {"limit": 5000})
    assert {a["id"] for a in newest_first} == sim.expected_ids("activities")
    keys = [(a["created_at"], a["id"]) for a in newest_first]
    assert keys == sorted(keys, reverse=True)
    oldest_first = walk_cursor(client, "/activities", {"order": "asc", "limit": 333})
    assert [a["id"] for a in oldest_first] == [a["id"] for a in reversed(newest_first)]
    page = client.get("/activities", params={"limit": 10}).json()
    assert page["first_id"].startswith("activity_") and page["first_id"] == page["data"][0]["id"]
    older = client.get("/activities", params={"limit": 10, "after_id": page["last_id"]}).json()
    assert [a["id"] for a in older["data"]] == [a["id"] for a in newest_first[10:20]]
    newer = client.get("/activities", params={"limit": 10, "before_id": older["first_id"]}).json()
    assert [a["id"] for a in newer["data"]] == [a["id"] for a in newest_first[:10]]
    assert newer["has_more"] is False


def test_activity_filters(client: httpx.Client) -> None:
    everything = walk_cursor(client, "/activities", {"limit": 5000})
    types = {a["type"] for a in everything}
    assert {
        "claude_chat_created",
        "claude_file_uploaded",
        "claude_project_created",
        "claude_project_sharing_updated",
        "claude_chat_deleted",
        "claude_project_document_deleted",
        "sso_login_succeeded",
        "sso_login_initiated",
    } <= types
    actor_types = {a["actor"]["type"] for a in everything}
    assert {"user_actor", "unauthenticated_user_actor", "scim_directory_sync_actor"} <= actor_types
    shared = walk_cursor(
        client, "/activities", {"activity_types[]": "claude_project_sharing_updated"}
    )
    assert shared and all(a["audience"] == [{"type": "organization"}] for a in shared)
    rest = walk_cursor(
        client, "/activities", {"exclude_activity_types[]": "claude_chat_created", "limit": 5000}
    )
    assert len(rest) == len(everything) - sum(
        a["type"] == "claude_chat_created" for a in everything
    )
    user = next(a["actor"]["user_id"] for a in everything if a["actor"]["type"] == "user_actor")
    mine = walk_cursor(client, "/activities", {"user_ids[]": user, "limit": 5000})
    assert mine and all(a["actor"].get("user_id") == user for a in mine)
    middle = sorted(a["created_at"] for a in everything)[len(everything) // 2]
    window = walk_cursor(client, "/activities", {"created_at.gte": middle, "limit": 5000})
    assert {a["id"] for a in window} == {a["id"] for a in everything if a["created_at"] >= middle}
    signins = [a for a in everything if a["type"] == "sso_login_succeeded"]
    assert all(a["organization_id"] is None for a in signins)


def test_projects_detail_attachments_collaborators(sim: Simulator, client: httpx.Client) -> None:
    projects = walk_pages(client, "/apps/projects", {"limit": 1})
    assert {p["id"] for p in projects} == sim.expected_ids("projects")
    assert any(p["deleted_at"] for p in projects) and any(p["is_private"] for p in projects)
    assert any(not p["is_private"] for p in projects)
    principal_types: set[str] = set()
    attachment_ids: set[str] = set()
    for project in projects:
        detail = client.get(f"/apps/projects/{project['id']}").json()
        assert {"description", "instructions", "attachments_count", "chats_count"} <= set(detail)
        attachments = walk_pages(
            client, f"/apps/projects/{project['id']}/attachments", {"limit": 1}
        )
        assert detail["attachments_count"] == len(attachments)
        attachment_ids |= {a["id"] for a in attachments}
        for item in attachments:
            if item["type"] == "project_doc":
                assert (
                    item["id"].startswith("claude_proj_doc_") and item["mime_type"] == "text/plain"
                )
                document = client.get(f"/apps/projects/documents/{item['id']}").json()
                meta = client.get(f"/apps/projects/documents/{item['id']}/metadata").json()
                assert meta["size_bytes"] == len(document["content"].encode())
                assert meta["claude_project_id"] == project["id"]
            else:
                assert item["id"].startswith("claude_file_") and {"size_bytes", "md5"} <= set(item)
        collaborators = walk_pages(
            client, f"/apps/projects/{project['id']}/collaborators", {"limit": 2}
        )
        principal_types |= {c["type"] for c in collaborators}
        assert [c["granted_at"] for c in collaborators] == sorted(
            c["granted_at"] for c in collaborators
        )
    assert attachment_ids == sim.expected_ids("project_attachments")
    assert principal_types == {"user", "group", "organization", "organization_role"}


def test_files_generated_files_and_artifacts_metadata(sim: Simulator, client: httpx.Client) -> None:
    files = sim.expected_ids("chat_files")
    assert files
    for file_id in sorted(files)[:10]:
        meta = client.get(f"/apps/chats/files/{file_id}").json()
        assert set(meta) == {
            "id",
            "filename",
            "mime_type",
            "size_bytes",
            "md5",
            "created_at",
            "message_ids",
            "claude_chat_ids",
        }
        assert meta["message_ids"] and meta["claude_chat_ids"]
    for file_id in sim.expected_ids("generated_files"):
        meta = client.get(f"/apps/chats/generated-files/{file_id}").json()
        assert meta["claude_chat_id"].startswith("claude_chat_")
    versions = sim.expected_ids("artifacts")
    assert versions
    for version_id in versions:
        meta = client.get(f"/apps/artifacts/{version_id}").json()
        body = client.get(f"/apps/artifacts/{version_id}/content").json()
        assert set(body) == {"content", "title", "artifact_type"}
        assert meta["size_bytes"] == len(body["content"].encode())
        assert meta["version_id"] == version_id and meta["id"].startswith("claude_artifact_")
    by_artifact: dict[str, int] = {}
    for version_id in versions:
        artifact = client.get(f"/apps/artifacts/{version_id}").json()["id"]
        by_artifact[artifact] = by_artifact.get(artifact, 0) + 1
    assert max(by_artifact.values()) > 1, "some artifact has several versions"


def test_tool_text_caps(client: httpx.Client, sim: Simulator) -> None:
    longest = None
    for chat_id in sorted(sim.expected_ids("chats")):
        body = client.get(
            f"/apps/chats/{chat_id}/messages", params={"tool_result_max_chars": -1}
        ).json()
        for message in body["chat_messages"]:
            for block in message["content"]:
                if block["type"] == "tool_result" and len(block["content"][0]["text"]) > 10_000:
                    longest = chat_id
    assert longest, "some tool result is longer than the default cap"
    capped = client.get(
        f"/apps/chats/{longest}/messages", params={"tool_result_max_chars": 100}
    ).json()
    results = [
        b for m in capped["chat_messages"] for b in m["content"] if b["type"] == "tool_result"
    ]
    assert any(b["truncated"] for b in results)
    assert all(len(b["content"][0]["text"]) <= 100 for b in results)
    uses = client.get(
        f"/apps/chats/{longest}/messages", params={"tool_use_input_max_chars": 5}
    ).json()
    inputs = [b for m in uses["chat_messages"] for b in m["content"] if b["type"] == "tool_use"]
    assert all(len(b["input"]) <= 5 and b["truncated"] for b in inputs)
