"""Typed records, one class per lake stream, carrying the API's field names.

Unions are flattened into nullable columns (content blocks, collaborator
principals, attachment types, activity actors); nested objects such as
``user`` become ``user_id``/``user_email_address``; lists of sub-objects are
lists of small records (Arrow list<struct>). Every stream record keeps the
whole API object as JSON in ``_raw``, so fields this client does not map
(new ones, type-specific activity fields) are never lost. Reprs leave out
user content (texts, names, ``_raw``).
"""

# api_field/context_field/raw_field return dataclasses.field(...) with metadata.
# ruff: noqa: RUF009

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from casb_pipeline.compliance.parsing import InvalidField, api_field, context_field, raw_field

RECORD = {"frozen": True, "kw_only": True, "slots": True}


def json_text(value: Any) -> str:
    """A tool input as documented (a JSON-encoded string); objects are encoded."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    raise InvalidField("expected a JSON-encoded string")


def joined_text(value: Any) -> str:
    """The text items of a tool result, one per line (non-text items are skipped)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise InvalidField("expected a list of content items")
    texts = [
        item["text"]
        for item in value
        if isinstance(item, dict) and isinstance(item.get("text"), str)
    ]
    return "\n".join(texts)


def audience_types(value: Any) -> list[str]:
    """Sharing audience types from a list of ``{type}`` objects or a single one."""
    items = value if isinstance(value, list) else [value]
    types = [item.get("type") if isinstance(item, dict) else item for item in items]
    if not all(isinstance(kind, str) for kind in types):
        raise InvalidField("expected audience objects with a type")
    return types


# --- nested parts --------------------------------------------------------------


@dataclass(**RECORD)
class ContentBlock:
    """One block of a message's ``content``: ``text``, ``tool_use`` or ``tool_result``."""

    type: str | None = api_field()
    text: str | None = api_field(hidden=True)
    thinking_redacted: bool | None = api_field()
    truncated: bool | None = api_field()
    id: str | None = api_field()
    name: str | None = api_field()
    input: str | None = api_field(convert=json_text, hidden=True)
    integration_name: str | None = api_field()
    mcp_server_url: str | None = api_field()
    tool_use_id: str | None = api_field()
    is_error: bool | None = api_field()
    content_text: str | None = api_field("content", convert=joined_text, hidden=True)


@dataclass(**RECORD)
class MessageFile:
    id: str = api_field()
    filename: str | None = api_field()
    mime_type: str | None = api_field()
    size_bytes: int | None = api_field()
    md5: str | None = api_field()
    created_at: datetime | None = api_field()


@dataclass(**RECORD)
class GeneratedFileRef:
    id: str = api_field()
    filename: str | None = api_field()
    mime_type: str | None = api_field()
    size_bytes: int | None = api_field()
    md5: str | None = api_field()


@dataclass(**RECORD)
class ArtifactRef:
    id: str | None = api_field()
    version_id: str = api_field()
    title: str | None = api_field(hidden=True)
    artifact_type: str | None = api_field()


# --- stream records --------------------------------------------------------------


@dataclass(**RECORD)
class Organization:
    uuid: str = api_field()
    name: str | None = api_field()
    created_at: datetime | None = api_field()
    _raw: str = raw_field()


@dataclass(**RECORD)
class User:
    """A member of ``organization_uuid`` (the organization it was listed under)."""

    id: str = api_field()
    organization_uuid: str = context_field()
    email: str | None = api_field()
    full_name: str | None = api_field()
    organization_role: str | None = api_field()
    created_at: datetime | None = api_field()
    _raw: str = raw_field()


@dataclass(**RECORD)
class Activity:
    """An activity-feed event; type-specific fields beyond these stay in ``_raw``."""

    id: str = api_field()
    created_at: datetime = api_field()
    type: str | None = api_field()
    organization_id: str | None = api_field()
    organization_uuid: str | None = api_field()
    actor_type: str | None = api_field("actor", "type")
    actor_user_id: str | None = api_field("actor", "user_id", lenient=True)
    actor_email_address: str | None = api_field("actor", "email_address", lenient=True)
    actor_ip_address: str | None = api_field("actor", "ip_address", lenient=True)
    actor_user_agent: str | None = api_field("actor", "user_agent", lenient=True)
    actor_api_key_id: str | None = api_field("actor", "api_key_id", lenient=True)
    claude_chat_id: str | None = api_field(lenient=True)
    claude_file_id: str | None = api_field(lenient=True)
    claude_project_id: str | None = api_field(lenient=True)
    claude_project_document_id: str | None = api_field(lenient=True)
    claude_artifact_id: str | None = api_field(lenient=True)
    claude_artifact_version_id: str | None = api_field(lenient=True)
    audience: list[str] | None = api_field(convert=audience_types, lenient=True)
    _raw: str = raw_field()


@dataclass(**RECORD)
class Chat:
    id: str = api_field()
    name: str | None = api_field(hidden=True)
    created_at: datetime | None = api_field()
    updated_at: datetime = api_field()
    deleted_at: datetime | None = api_field()
    href: str | None = api_field()
    model: str | None = api_field()
    organization_uuid: str | None = api_field()
    organization_id: str | None = api_field()
    project_id: str | None = api_field()
    user_id: str | None = api_field("user", "id")
    user_email_address: str | None = api_field("user", "email_address")
    _raw: str = raw_field()


@dataclass(**RECORD)
class ChatMessage:
    """A message of chat ``chat_id`` as of the chat's ``chat_updated_at``."""

    id: str = api_field()
    chat_id: str = context_field()
    chat_updated_at: datetime | None = context_field()
    role: str | None = api_field()
    created_at: datetime | None = api_field()
    content: list[ContentBlock] | None = api_field(hidden=True)
    files: list[MessageFile] | None = api_field()
    generated_files: list[GeneratedFileRef] | None = api_field()
    artifacts: list[ArtifactRef] | None = api_field()
    _raw: str = raw_field()


@dataclass(**RECORD)
class ChatFile:
    """Metadata of an uploaded file (chat attachment or project file)."""

    id: str = api_field()
    filename: str | None = api_field()
    mime_type: str | None = api_field()
    size_bytes: int | None = api_field()
    md5: str | None = api_field()
    created_at: datetime | None = api_field()
    message_ids: list[str] | None = api_field()
    claude_chat_ids: list[str] | None = api_field()
    _raw: str = raw_field()


@dataclass(**RECORD)
class GeneratedFile:
    id: str = api_field()
    claude_chat_id: str | None = api_field()
    created_at: datetime | None = api_field()
    filename: str | None = api_field()
    mime_type: str | None = api_field()
    size_bytes: int | None = api_field()
    md5: str | None = api_field()
    _raw: str = raw_field()


@dataclass(**RECORD)
class Artifact:
    """Metadata of one artifact version; keyed by ``version_id``, ``artifact_id`` kept."""

    version_id: str = api_field()
    artifact_id: str | None = api_field("id")
    claude_chat_id: str | None = api_field()
    created_at: datetime | None = api_field()
    title: str | None = api_field(hidden=True)
    artifact_type: str | None = api_field()
    md5: str | None = api_field()
    size_bytes: int | None = api_field()
    _raw: str = raw_field()


@dataclass(**RECORD)
class Project:
    """A project; ``description``/``instructions``/counts only from the detail endpoint."""

    id: str = api_field()
    name: str | None = api_field(hidden=True)
    description: str | None = api_field(hidden=True)
    instructions: str | None = api_field(hidden=True)
    is_private: bool | None = api_field()
    attachments_count: int | None = api_field()
    chats_count: int | None = api_field()
    created_at: datetime | None = api_field()
    updated_at: datetime | None = api_field()
    deleted_at: datetime | None = api_field()
    organization_uuid: str | None = api_field()
    organization_id: str | None = api_field()
    user_id: str | None = api_field("user", "id")
    user_email_address: str | None = api_field("user", "email_address")
    _raw: str = raw_field()


@dataclass(**RECORD)
class ProjectAttachment:
    """A ``project_file`` (``claude_file_…``) or ``project_doc`` (``claude_proj_doc_…``)."""

    id: str = api_field()
    project_id: str = context_field()
    type: str | None = api_field()
    filename: str | None = api_field()
    mime_type: str | None = api_field()
    size_bytes: int | None = api_field()
    md5: str | None = api_field()
    created_at: datetime | None = api_field()
    updated_at: datetime | None = api_field()
    _raw: str = raw_field()


@dataclass(**RECORD)
class ProjectCollaborator:
    """One role grant; the principal is in the column its ``type`` names."""

    project_id: str = context_field()
    type: str = api_field()
    user_id: str | None = api_field()
    group_id: str | None = api_field()
    organization_uuid: str | None = api_field()
    organization_role: str | None = api_field()
    role: str | None = api_field()
    granted_at: datetime | None = api_field()
    _raw: str = raw_field()


@dataclass(**RECORD)
class ProjectDocument:
    """Metadata of a project document; its text goes to the blob store, not here."""

    id: str = api_field()
    project_id: str | None = api_field("claude_project_id")
    filename: str | None = api_field()
    created_at: datetime | None = api_field()
    mime_type: str | None = api_field()
    size_bytes: int | None = api_field()
    md5: str | None = api_field()
    user_id: str | None = api_field("user", "id")
    user_email_address: str | None = api_field("user", "email_address")
    _raw: str = raw_field()


# --- results that are not lake rows ------------------------------------------------


@dataclass(**RECORD)
class ProjectDocumentContent:
    """A project document with its text (``GET /apps/projects/documents/{id}``)."""

    id: str = api_field()
    filename: str | None = api_field()
    created_at: datetime | None = api_field()
    content: str = api_field(hidden=True)
    user_id: str | None = api_field("user", "id")
    user_email_address: str | None = api_field("user", "email_address")


@dataclass(frozen=True, kw_only=True)
class ArtifactContent:
    """The exact text of one artifact version (``GET /apps/artifacts/{id}/content``)."""

    content: str = field(repr=False)
    title: str | None = field(default=None, repr=False)
    artifact_type: str | None = None
    request_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChatWithMessages:
    """A whole chat: its list fields and every message."""

    chat: Chat
    messages: list[ChatMessage]
    request_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class DeleteResult:
    """A confirmed delete. ``already_gone``: a retried delete found the object gone."""

    id: str
    type: str | None
    request_id: str | None = None
    already_gone: bool = False
