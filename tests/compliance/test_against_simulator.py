"""The client against the embedded simulator over loopback: completeness, faults, auth, content."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from casb_pipeline.compliance import (
    AuthenticationError,
    ComplianceClient,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
)
from casb_pipeline.simulator import DEFAULT_ADMIN_KEY, Simulator, SimulatorConfig

ANCHOR = date(2026, 10, 10)
FAST = {"rate_limit_rpm": 0, "backoff_base": 0.001, "backoff_cap": 0.01, "timeout": 10.0}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimulatorConfig(anchor=ANCHOR, rate_limit_rpm=0)) as simulator:
        yield simulator


@pytest.fixture
def client_for(sim):
    clients: list[ComplianceClient] = []

    def make(key: str | None = None, **options) -> ComplianceClient:
        client = ComplianceClient(sim.base_url, key or sim.api_key, **{**FAST, **options})
        clients.append(client)
        return client

    yield make
    sim.faults.clear()
    for client in clients:
        client.close()


def _window(sim: Simulator) -> tuple[datetime, datetime]:
    start = datetime.combine(sim.first_day, datetime.min.time(), UTC) - timedelta(days=1)
    return start, datetime.now(UTC) + timedelta(days=1)


def walk_everything(client: ComplianceClient, sim: Simulator) -> dict[str, set[str]]:
    """Every stream's ids, through the client's public methods."""
    start, end = _window(sim)
    seen: dict[str, set[str]] = {}
    organizations = list(client.organizations())
    seen["organizations"] = {org.uuid for org in organizations}
    seen["users"] = {user.id for org in organizations for user in client.users(org.uuid)}
    seen["activities"] = {activity.id for activity in client.activities(start, end)}
    chats = list(client.chats_updated(start, end))
    seen["chats"] = {chat.id for chat in chats}
    for stream in ("chat_messages", "chat_files", "generated_files", "artifacts"):
        seen[stream] = set()
    for _, whole in client.map_concurrent(client.chat_messages, sorted(seen["chats"])):
        assert not isinstance(whole, Exception), whole
        for message in whole.messages:
            seen["chat_messages"].add(message.id)
            seen["chat_files"].update(f.id for f in message.files or [])
            seen["generated_files"].update(f.id for f in message.generated_files or [])
            seen["artifacts"].update(a.version_id for a in message.artifacts or [])
    projects = list(client.projects())
    seen["projects"] = {project.id for project in projects}
    attachments = [a for p in projects for a in client.project_attachments(p.id)]
    seen["project_attachments"] = {a.id for a in attachments}
    seen["project_documents"] = {a.id for a in attachments if a.type == "project_doc"}
    for project in projects:
        collaborators = list(client.project_collaborators(project.id))
        assert all(c.project_id == project.id and c.type for c in collaborators)
    return seen


def _expected(sim: Simulator, streams) -> dict[str, set[str]]:
    return {stream: sim.expected_ids(stream) for stream in streams}


def test_full_walk_at_the_maximum_page_size_is_complete(sim, client_for):
    client = client_for()
    sim.reset_counts()
    seen = walk_everything(client, sim)
    assert seen == _expected(sim, seen)
    assert all(seen[stream] for stream in seen)
    assert client.stats.requests_total == sum(sim.request_counts().values())
    assert client.malformed == []


@pytest.mark.parametrize("page_size", [1, 7])
def test_small_pages_give_the_same_ids(sim, client_for, page_size):
    seen = walk_everything(client_for(page_size=page_size), sim)
    assert seen == _expected(sim, seen)


def test_random_faults_are_survived_without_losing_or_repeating(sim, client_for):
    sim.faults.set(rate=0.25, kinds=("500", "502", "503", "drop", "malformed"), seed=11)
    client = client_for(page_size=7, max_retries=10)
    seen = walk_everything(client, sim)
    assert seen == _expected(sim, seen)
    assert client.stats.snapshot()["retries_total"] > 20


def test_injected_429_waits_retry_after(sim, client_for):
    client = client_for()
    sim.faults.fail_next("429", endpoints="/organizations$")
    started = time.monotonic()
    assert list(client.organizations())
    assert time.monotonic() - started >= 0.95
    assert client.stats.snapshot()["retries_total"] == 1


def test_server_error_marked_final_is_not_retried(sim, client_for):
    client = client_for()
    sim.faults.fail_next("500_no_retry", endpoints="/organizations$")
    sim.reset_counts()
    with pytest.raises(ServerError) as caught:
        list(client.organizations())
    assert caught.value.should_retry is False
    assert sum(sim.request_counts().values()) == 1


def test_wrong_keys_are_authentication_errors(sim, client_for):
    with pytest.raises(AuthenticationError, match="ANTHROPIC_COMPLIANCE_ACCESS_KEY"):
        list(client_for("sk-ant-api01-not-the-right-key").projects())
    # a key of another kind gets the bare 404 "Not found" on a list endpoint
    with pytest.raises(AuthenticationError):
        list(client_for("sk-ant-api03-a-claude-api-key").organizations())


def test_admin_key_reaches_the_feed_only(sim, client_for):
    admin = client_for(DEFAULT_ADMIN_KEY)
    start, end = _window(sim)
    assert next(admin.activities(start, end)).id
    with pytest.raises(PermissionDeniedError) as caught:
        list(admin.chats_updated(start, end))
    assert "read:compliance_user_data" in caught.value.needed_scopes
    assert "activity feed only" in str(caught.value)


def test_missing_scopes_are_named(sim, client_for):
    sim.add_key("sk-ant-api01-reader-without-delete", ["read:compliance_user_data"])
    reader = client_for("sk-ant-api01-reader-without-delete")
    with pytest.raises(PermissionDeniedError) as caught:
        list(reader.organizations())
    assert caught.value.granted_scopes == ("read:compliance_user_data",)
    chat_id = sorted(sim.expected_ids("chats"))[0]
    with pytest.raises(PermissionDeniedError) as caught:
        reader.delete_chat(chat_id)
    assert caught.value.needed_scopes == ("delete:compliance_user_data",)


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def test_every_kind_of_content_downloads_and_verifies(sim, client_for, tmp_path):
    client = client_for()
    sim.faults.fail_next("bad_md5", endpoints="/content$")
    sim.faults.fail_next("drop", endpoints="/content$")
    file_ids = sorted(sim.expected_ids("chat_files"))[:6]
    for file_id in file_ids:
        meta = client.file_metadata(file_id)
        got = client.download_file(file_id, tmp_path / file_id, max_bytes=50_000_000)
        assert got.md5 == _md5((tmp_path / file_id).read_bytes())
        assert got.size == meta.size_bytes
        assert got.filename
    for gen_id in sorted(sim.expected_ids("generated_files"))[:3]:
        meta = client.generated_file_metadata(gen_id)
        got = client.download_generated_file(
            gen_id, tmp_path / gen_id, max_bytes=50_000_000, expected_md5=meta.md5
        )
        assert got.size == (tmp_path / gen_id).stat().st_size
    for version_id in sorted(sim.expected_ids("artifacts"))[:3]:
        meta = client.artifact_version(version_id)
        got = client.download_artifact(
            version_id, tmp_path / version_id, max_bytes=10_000_000, expected_md5=meta.md5
        )
        assert (got.size, got.md5) == (meta.size_bytes, meta.md5)
        assert client.artifact_content(version_id).content.encode() == got.path.read_bytes()
    for doc_id in sorted(sim.expected_ids("project_documents"))[:3]:
        meta = client.project_document_metadata(doc_id)
        got = client.download_project_document(
            doc_id, tmp_path / doc_id, max_bytes=10_000_000, expected_md5=meta.md5
        )
        assert got.size == meta.size_bytes
    assert client.stats.snapshot()["retries_total"] == 2


def test_deletes_and_user_deletions():
    with (
        Simulator(SimulatorConfig(anchor=ANCHOR, rate_limit_rpm=0)) as fresh,
        ComplianceClient(fresh.base_url, fresh.api_key, **FAST) as client,
    ):
        start, end = _window(fresh)
        chats = sorted(fresh.expected_ids("chats"))
        fresh.user_delete_chat(chats[0])
        deleted = {chat.id: chat for chat in client.chats_updated(start, end)}[chats[0]]
        assert deleted.deleted_at is not None
        assert all(not m.content for m in client.chat_messages(chats[0]).messages)

        result = client.delete_chat(chats[1])
        assert (result.id, result.type) == (chats[1], "claude_chat_deleted")
        with pytest.raises(NotFoundError):
            client.chat_messages(chats[1])
        assert chats[1] not in {chat.id for chat in client.chats_updated(start, end)}

        with_chats = {c.project_id for c in client.chats_updated(start, end) if c.project_id}
        with pytest.raises(ConflictError):
            client.delete_project(sorted(with_chats)[0])
