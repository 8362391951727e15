"""The JSON shapes of the Compliance API, built from the store's records."""

from __future__ import annotations

import hashlib

from casb_pipeline.simulator.chats import ArtifactVersion, ChatContent, Message, StoredFile
from casb_pipeline.simulator.documents import FileSpec
from casb_pipeline.simulator.ids import iso
from casb_pipeline.simulator.store import Store
from casb_pipeline.simulator.world import Collaborator, Membership, Org, Project, ProjectItem, User

SERVER_MAX_CHARS = 1_048_576
DEFAULT_TOOL_CHARS = 10_000

Json = dict[str, object]


def org_json(org: Org) -> Json:
    return {"uuid": org.uuid, "name": org.name, "created_at": iso(org.created)}


def member_json(user: User, membership: Membership) -> Json:
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "organization_role": membership.role,
        "created_at": iso(user.created),
    }


def user_ref(user: User) -> Json:
    return {"id": user.id, "email_address": user.email}


def chat_json(store: Store, index: int, now: int) -> Json:
    world = store.world
    chats = world.chats
    org = world.org_by_index(chats.org[index])
    project = chats.project[index]
    deleted = store.user_deleted(index, now)
    _, _, _, title, model = world.chat_profile(index)
    return {
        "id": world.chat_id(index),
        "name": "" if deleted else title,
        "created_at": iso(chats.created[index]),
        "updated_at": iso(chats.updated[index]),
        "deleted_at": iso(chats.deleted[index]) if deleted else None,
        "href": f"https://claude.ai/chat/{world.codec.uuid('chat', index)}",
        "model": model,
        "organization_uuid": org.uuid,
        "organization_id": org.legacy_id,
        "project_id": world.projects[project].id if project >= 0 else None,
        "user": user_ref(world.users[chats.user[index]]),
    }


def _cap(text: str, limit: int) -> tuple[str, bool]:
    limit = SERVER_MAX_CHARS if limit == -1 else min(limit, SERVER_MAX_CHARS)
    return (text[:limit], True) if len(text) > limit else (text, False)


def _block_json(block: Json, input_cap: int, result_cap: int) -> Json:
    shown = dict(block)
    if block["type"] == "tool_use":
        shown["input"], shown["truncated"] = _cap(str(block["input"]), input_cap)
    elif block["type"] == "tool_result":
        items, cut = [], False
        for item in block["content"]:  # type: ignore[union-attr]
            text, truncated = _cap(item["text"], result_cap)
            items.append({"type": "text", "text": text})
            cut = cut or truncated
        shown["content"], shown["truncated"] = items, cut
    return shown


def message_json(
    store: Store,
    chat: ChatContent,
    message: Message,
    *,
    deleted: bool,
    input_cap: int,
    result_cap: int,
) -> Json:
    base: Json = {"id": message.id, "role": message.role, "created_at": iso(message.created)}
    if deleted:
        return {**base, "content": [], "files": None, "generated_files": None, "artifacts": None}
    files = [
        file_entry(store, chat.files[file_id])
        for file_id in message.files
        if file_id not in store.deleted_files
    ]
    generated = [generated_entry(store, chat.generated[file_id]) for file_id in message.generated]
    artifacts = [artifact_entry(chat.artifacts[version]) for _, version in message.artifacts]
    return {
        **base,
        "content": [_block_json(block, input_cap, result_cap) for block in message.blocks],
        "files": files or None,
        "generated_files": generated or None,
        "artifacts": artifacts or None,
    }


def _file_fields(store: Store, file_id: str, spec: FileSpec, created: int) -> Json:
    size, md5 = store.digest(file_id, spec)
    return {
        "id": file_id,
        "filename": spec.filename,
        "mime_type": spec.mime_type,
        "size_bytes": size,
        "md5": md5,
        "created_at": iso(created),
    }


def file_entry(store: Store, stored: StoredFile) -> Json:
    return _file_fields(store, stored.id, stored.spec, stored.created)


def file_meta(store: Store, stored: StoredFile, chat: ChatContent) -> Json:
    referenced = [m.id for m in chat.messages if stored.id in m.files]
    return {**file_entry(store, stored), "message_ids": referenced, "claude_chat_ids": [chat.id]}


def project_file_meta(store: Store, item: ProjectItem) -> Json:
    fields = _file_fields(store, item.id, item.spec, item.created)
    return {**fields, "message_ids": [], "claude_chat_ids": []}


def generated_entry(store: Store, stored: StoredFile) -> Json:
    size, md5 = store.digest(stored.id, stored.spec)
    return {
        "id": stored.id,
        "filename": stored.spec.filename,
        "mime_type": stored.spec.mime_type,
        "size_bytes": None if stored.expired else size,
        "md5": md5,
    }


def generated_meta(store: Store, stored: StoredFile, chat: ChatContent) -> Json:
    entry = generated_entry(store, stored)
    return {"id": stored.id, "claude_chat_id": chat.id, "created_at": iso(stored.created), **entry}


def artifact_entry(version: ArtifactVersion) -> Json:
    return {
        "id": version.artifact_id,
        "version_id": version.version_id,
        "title": version.title,
        "artifact_type": version.artifact_type,
    }


def artifact_meta(version: ArtifactVersion, chat: ChatContent) -> Json:
    data = version.text.encode()
    return {
        **artifact_entry(version),
        "claude_chat_id": chat.id,
        "created_at": iso(version.created),
        "md5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
        "size_bytes": len(data),
    }


def artifact_content(version: ArtifactVersion) -> Json:
    return {"content": version.text, "title": version.title, "artifact_type": version.artifact_type}


def project_json(store: Store, project: Project, now: int, *, detail: bool) -> Json:
    world = store.world
    org = world.org_by_index(project.org)
    record: Json = {
        "id": project.id,
        "name": project.name,
        "created_at": iso(project.created),
        "updated_at": iso(project.updated),
        "deleted_at": iso(project.deleted_at) if project.deleted_at is not None else None,
        "is_private": project.is_private,
        "organization_uuid": org.uuid,
        "organization_id": org.legacy_id,
        "user": user_ref(world.users[project.user]),
    }
    if detail:
        record["description"] = project.description
        record["instructions"] = project.instructions
        record["attachments_count"] = len(store.project_items(project, now))
        record["chats_count"] = len(store.attached_chats(project, now))
    return record


def attachment_json(store: Store, item: ProjectItem) -> Json:
    base: Json = {
        "type": item.kind,
        "id": item.id,
        "filename": item.spec.filename,
        "created_at": iso(item.created),
    }
    if item.kind == "project_doc":
        return {**base, "mime_type": "text/plain", "updated_at": None}
    size, md5 = store.digest(item.id, item.spec)
    return {**base, "mime_type": item.spec.mime_type, "size_bytes": size, "md5": md5}


def collaborator_json(grant: Collaborator) -> Json:
    field = {
        "user": "user_id",
        "group": "group_id",
        "organization": "organization_uuid",
        "organization_role": "organization_role",
    }[grant.type]
    return {
        "type": grant.type,
        field: grant.principal,
        "role": grant.role,
        "granted_at": iso(grant.granted),
    }


def document_text(store: Store, item: ProjectItem) -> str:
    return store.file_payload(item.id, item.spec).decode()


def document_json(store: Store, item: ProjectItem) -> Json:
    return {
        "id": item.id,
        "filename": item.spec.filename,
        "created_at": iso(item.created),
        "content": document_text(store, item),
        "user": user_ref(store.world.users[item.user]),
    }


def document_meta(store: Store, item: ProjectItem, project: Project) -> Json:
    data = document_text(store, item).encode()
    return {
        "id": item.id,
        "claude_project_id": project.id,
        "filename": item.spec.filename,
        "created_at": iso(item.created),
        "mime_type": "text/plain",
        "size_bytes": len(data),
        "md5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
        "user": user_ref(store.world.users[item.user]),
    }
