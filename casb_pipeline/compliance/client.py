"""The Compliance API client: endpoint methods returning typed records.

List methods are iterators that page lazily. A record that cannot be parsed
does not stop them: it becomes a :class:`MalformedRecord` (stream, id,
reason, request id; no content) handed to ``on_malformed``, by default
appended to ``client.malformed``, and the walk goes on. Methods returning a
single object raise the :class:`MalformedRecord` instead.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

from casb_pipeline.compliance import endpoints as ep
from casb_pipeline.compliance.concurrency import map_concurrent
from casb_pipeline.compliance.downloads import (
    Download,
    Downloader,
    TextContent,
    artifact_from_body,
    safe_filename,
)
from casb_pipeline.compliance.endpoints import Endpoint
from casb_pipeline.compliance.errors import ErrorInfo, MalformedRecord, MalformedResponseError
from casb_pipeline.compliance.pagination import Page, cursor_pages, token_pages
from casb_pipeline.compliance.parsing import InvalidField, parse_object
from casb_pipeline.compliance.ratelimit import RateLimiter
from casb_pipeline.compliance.records import (
    Activity,
    Artifact,
    ArtifactContent,
    Chat,
    ChatFile,
    ChatMessage,
    ChatWithMessages,
    DeleteResult,
    GeneratedFile,
    Organization,
    Project,
    ProjectAttachment,
    ProjectCollaborator,
    ProjectDocument,
    ProjectDocumentContent,
    User,
)
from casb_pipeline.compliance.schemas import STREAMS
from casb_pipeline.compliance.stats import RequestStats
from casb_pipeline.compliance.timestamps import format_timestamp
from casb_pipeline.compliance.transport import RetryPolicy, Transport, json_object
from casb_pipeline.config import ConfigError, Secret, Settings

log = logging.getLogger("casb_pipeline.compliance")
T = TypeVar("T")
R = TypeVar("R")

MAX_USER_IDS = 10
UNCAPPED = -1
_CHAT_PAGE_KEYS = ("chat_messages", "has_more", "first_id", "last_id")


class ComplianceClient:
    """A thread-safe client of ``{base_url}/v1/compliance``.

    ``rate_limit_rpm``: client-side budget (0 = off), ignored when a shared
    ``rate_limiter`` is passed. ``page_size``: ``limit`` sent to list
    endpoints (capped at each one's maximum); ``None`` sends the maximum, and
    fetches each chat's messages in one response. ``backoff_base``/
    ``backoff_cap``: the exponential backoff of retries, in seconds.
    """

    def __init__(
        self,
        base_url: str,
        api_key: Secret | str,
        *,
        rate_limit_rpm: int = 480,
        max_concurrency: int = 8,
        timeout: float = 60.0,
        max_retries: int = 8,
        backoff_cap: float = 60.0,
        backoff_base: float = 1.0,
        page_size: int | None = None,
        rate_limiter: RateLimiter | None = None,
        on_malformed: Callable[[MalformedRecord], None] | None = None,
    ) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if page_size is not None and page_size < 1:
            raise ValueError("page_size must be at least 1")
        key = api_key if isinstance(api_key, Secret) else Secret(api_key)
        self.base_url = base_url.rstrip("/")
        self.max_concurrency = max_concurrency
        self.page_size = page_size
        self.stats = RequestStats()
        self.limiter = rate_limiter or RateLimiter(rate_limit_rpm)
        self.malformed: list[MalformedRecord] = []
        self._on_malformed = on_malformed or self.malformed.append
        self._transport = Transport(
            self.base_url,
            key,
            limiter=self.limiter,
            stats=self.stats,
            policy=RetryPolicy(max_retries, backoff_base, backoff_cap),
            timeout=timeout,
            max_connections=max_concurrency,
        )
        self._downloads = Downloader(self._transport, self.stats)

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> ComplianceClient:
        """A client for ``CASB_API_BASE_URL`` with ``ANTHROPIC_COMPLIANCE_ACCESS_KEY``."""
        if settings.api_key is None:
            raise ConfigError(
                "ANTHROPIC_COMPLIANCE_ACCESS_KEY is not set: export a Compliance Access Key "
                "(or leave it unset and let run/extract start the embedded simulator)"
            )
        options.setdefault("rate_limit_rpm", settings.rate_limit_rpm)
        return cls(settings.api_base_url, settings.api_key, **options)

    def __repr__(self) -> str:
        return f"ComplianceClient({self.base_url!r}, api_key='***', limiter={self.limiter!r})"

    def __enter__(self) -> ComplianceClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    def map_concurrent(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[tuple[T, R | Exception]]:
        """``fn`` over ``items`` on ``max_concurrency`` threads sharing this client.

        Yields ``(item, result or exception)`` in completion order.
        """
        return map_concurrent(fn, items, max_workers=self.max_concurrency)

    # --- organizations and users -------------------------------------------------

    def organizations(self) -> Iterator[Organization]:
        return self._listing("organizations", ep.ORGANIZATIONS, None, token_pages, {})

    def users(self, org_uuid: str) -> Iterator[User]:
        """Current members of one organization, each tagged with ``org_uuid``."""
        context = {"organization_uuid": org_uuid}
        return self._listing("users", ep.ORGANIZATION_USERS, org_uuid, token_pages, {}, context)

    # --- activity feed -------------------------------------------------------------

    def activities(
        self,
        created_gte: datetime,
        created_lt: datetime,
        *,
        types: Iterable[str] | None = None,
        exclude_types: Iterable[str] | None = None,
    ) -> Iterator[Activity]:
        """Events with ``created_gte <= created_at < created_lt``, newest first."""
        if types is not None and exclude_types is not None:
            raise ValueError("pass types or exclude_types, not both (the API rejects the mix)")
        params = {
            "created_at.gte": format_timestamp(created_gte),
            "created_at.lt": format_timestamp(created_lt),
            "activity_types[]": list(types) if types is not None else None,
            "exclude_activity_types[]": list(exclude_types) if exclude_types is not None else None,
        }
        return self._listing("activities", ep.ACTIVITIES, None, cursor_pages, params)

    # --- chats ---------------------------------------------------------------------

    def chats_updated(self, updated_gte: datetime, updated_lt: datetime) -> Iterator[Chat]:
        """Org-wide walk of chats with ``updated_gte <= updated_at < updated_lt``.

        A chat updated during the walk can appear twice; de-duplicate by id.
        """
        params = {
            "order_by": "updated_at",
            "updated_at.gte": format_timestamp(updated_gte),
            "updated_at.lt": format_timestamp(updated_lt),
        }
        return self._listing("chats", ep.CHATS, None, cursor_pages, params)

    def chats_for_users(
        self,
        user_ids: Iterable[str],
        created_gte: datetime | None = None,
        created_lt: datetime | None = None,
    ) -> Iterator[Chat]:
        """Chats of the given users by ``created_at``, asking for ten users at a time."""
        unique = list(dict.fromkeys(user_ids))
        for start in range(0, len(unique), MAX_USER_IDS):
            params = {
                "user_ids[]": unique[start : start + MAX_USER_IDS],
                "created_at.gte": _optional_timestamp(created_gte),
                "created_at.lt": _optional_timestamp(created_lt),
            }
            yield from self._listing("chats", ep.CHATS, None, cursor_pages, params)

    def chat_messages(self, chat_id: str) -> ChatWithMessages:
        """The whole chat, tool inputs and results uncapped (``-1``)."""
        params = {
            "tool_use_input_max_chars": UNCAPPED,
            "tool_result_max_chars": UNCAPPED,
            "limit": None if self.page_size is None else self._limit(ep.CHAT_MESSAGES),
        }
        pages = cursor_pages(self._fetch(ep.CHAT_MESSAGES, chat_id), params)
        first = next(pages)
        header = {k: v for k, v in first.body.items() if k not in _CHAT_PAGE_KEYS}
        chat = self._one("chats", Chat, header, first.request_id)
        context = {"chat_id": chat.id, "chat_updated_at": chat.updated_at}
        messages: list[ChatMessage] = []
        for page in itertools.chain([first], pages):
            messages.extend(self._records("chat_messages", page, context, "chat_messages"))
        return ChatWithMessages(chat=chat, messages=messages, request_id=first.request_id)

    def delete_chat(self, chat_id: str) -> DeleteResult:
        return self._delete(ep.CHAT_DELETE, chat_id, "claude_chat_deleted")

    # --- files, generated files, artifacts -------------------------------------------

    def file_metadata(self, file_id: str) -> ChatFile:
        return self._get_one("chat_files", ChatFile, ep.FILE, file_id)

    def generated_file_metadata(self, file_id: str) -> GeneratedFile:
        return self._get_one("generated_files", GeneratedFile, ep.GENERATED_FILE, file_id)

    def artifact_version(self, version_id: str) -> Artifact:
        """Metadata of one artifact version (pass the ``claude_artifact_version_…`` id)."""
        return self._get_one("artifacts", Artifact, ep.ARTIFACT, version_id)

    def artifact_content(self, version_id: str) -> ArtifactContent:
        """The text of one artifact version (JSON ``content``; raw text from older servers)."""

        def read(response: httpx.Response, label: str) -> ArtifactContent:
            return artifact_from_body(response, label, response.read())[0]

        return self._transport.call(ep.ARTIFACT_CONTENT, version_id, None, read)

    def delete_file(self, file_id: str) -> DeleteResult:
        return self._delete(ep.FILE_DELETE, file_id, "claude_file_deleted")

    # --- projects ----------------------------------------------------------------

    def projects(
        self, updated_gte: datetime | None = None, updated_lt: datetime | None = None
    ) -> Iterator[Project]:
        """Projects (list fields only; :meth:`project` adds description and instructions)."""
        params = {
            "updated_at.gte": _optional_timestamp(updated_gte),
            "updated_at.lt": _optional_timestamp(updated_lt),
        }
        return self._listing("projects", ep.PROJECTS, None, token_pages, params)

    def project(self, project_id: str) -> Project:
        return self._get_one("projects", Project, ep.PROJECT, project_id)

    def project_attachments(self, project_id: str) -> Iterator[ProjectAttachment]:
        context = {"project_id": project_id}
        return self._listing(
            "project_attachments", ep.PROJECT_ATTACHMENTS, project_id, token_pages, {}, context
        )

    def project_collaborators(self, project_id: str) -> Iterator[ProjectCollaborator]:
        context = {"project_id": project_id}
        return self._listing(
            "project_collaborators", ep.PROJECT_COLLABORATORS, project_id, token_pages, {}, context
        )

    def project_document(self, document_id: str) -> ProjectDocumentContent:
        """A project document with its text."""
        response = self._transport.json(ep.DOCUMENT, document_id)
        return self._one(
            "project_documents", ProjectDocumentContent, response.body, response.request_id
        )

    def project_document_metadata(self, document_id: str) -> ProjectDocument:
        return self._get_one(
            "project_documents", ProjectDocument, ep.DOCUMENT_METADATA, document_id
        )

    def delete_project(self, project_id: str) -> DeleteResult:
        """Refused with :class:`ConflictError` while chats are attached to the project."""
        return self._delete(ep.PROJECT_DELETE, project_id, "claude_project_deleted")

    def delete_project_document(self, document_id: str) -> DeleteResult:
        return self._delete(ep.DOCUMENT_DELETE, document_id, "claude_project_document_deleted")

    # --- content downloads ---------------------------------------------------------

    def download_file(
        self, file_id: str, dest: Path, *, max_bytes: int, expected_md5: str | None = None
    ) -> Download:
        """An uploaded file's stored bytes at ``dest``, verified (see :mod:`downloads`)."""
        return self._downloads.binary(
            ep.FILE_CONTENT, file_id, dest, max_bytes=max_bytes, expected_md5=expected_md5
        )

    def download_generated_file(
        self, file_id: str, dest: Path, *, max_bytes: int, expected_md5: str | None = None
    ) -> Download:
        return self._downloads.binary(
            ep.GENERATED_FILE_CONTENT, file_id, dest, max_bytes=max_bytes, expected_md5=expected_md5
        )

    def download_project_document(
        self, document_id: str, dest: Path, *, max_bytes: int, expected_md5: str | None = None
    ) -> Download:
        """The document's text as UTF-8 bytes (``expected_md5`` is over those bytes)."""

        def extract(response: httpx.Response, label: str, body: bytes) -> TextContent:
            request_id = response.headers.get("request-id")
            parsed = json_object(body, label, request_id)
            document = self._one("project_documents", ProjectDocumentContent, parsed, request_id)
            name = safe_filename(document.filename)
            return TextContent(document.content.encode(), "text/plain; charset=utf-8", name)

        return self._downloads.text(
            ep.DOCUMENT,
            document_id,
            dest,
            max_bytes=max_bytes,
            expected_md5=expected_md5,
            extract=extract,
        )

    def download_artifact(
        self, version_id: str, dest: Path, *, max_bytes: int, expected_md5: str | None = None
    ) -> Download:
        """An artifact version's text as UTF-8 bytes (the metadata md5 is over those)."""

        def extract(response: httpx.Response, label: str, body: bytes) -> TextContent:
            content, data = artifact_from_body(response, label, body)
            return TextContent(data, content.artifact_type, None)

        return self._downloads.text(
            ep.ARTIFACT_CONTENT,
            version_id,
            dest,
            max_bytes=max_bytes,
            expected_md5=expected_md5,
            extract=extract,
        )

    # --- internals -----------------------------------------------------------------

    def _limit(self, endpoint: Endpoint) -> int | None:
        if endpoint.max_limit is None or self.page_size is None:
            return endpoint.max_limit
        return min(self.page_size, endpoint.max_limit)

    def _fetch(self, endpoint: Endpoint, object_id: str | None) -> Callable[..., Page]:
        def fetch(params: Mapping[str, Any]) -> Page:
            response = self._transport.json(endpoint, object_id, params)
            return Page(endpoint.label, response.body, response.request_id)

        return fetch

    def _listing(
        self,
        stream: str,
        endpoint: Endpoint,
        object_id: str | None,
        pages: Callable[..., Iterator[Page]],
        params: Mapping[str, Any],
        context: Mapping[str, Any] | None = None,
    ) -> Iterator[Any]:
        params = {**params, "limit": self._limit(endpoint)}
        for page in pages(self._fetch(endpoint, object_id), params):
            yield from self._records(stream, page, context or {})

    def _records(
        self, stream: str, page: Page, context: Mapping[str, Any], key: str = "data"
    ) -> Iterator[Any]:
        spec = STREAMS[stream]
        for item in page.items(key):
            try:
                yield parse_object(spec.record, item, context)
            except InvalidField as exc:
                error = self._malformed(stream, item, str(exc), page.request_id)
                self._on_malformed(error)

    def _one(self, stream: str, cls: type[T], body: Mapping[str, Any], request_id: str | None) -> T:
        try:
            return parse_object(cls, body)
        except InvalidField as exc:
            raise self._malformed(stream, body, str(exc), request_id) from None

    def _get_one(self, stream: str, cls: type[T], endpoint: Endpoint, object_id: str) -> T:
        response = self._transport.json(endpoint, object_id)
        return self._one(stream, cls, response.body, response.request_id)

    def _malformed(
        self, stream: str, item: object, reason: str, request_id: str | None
    ) -> MalformedRecord:
        id_field = STREAMS[stream].id_field
        record_id = item.get(id_field) if isinstance(item, dict) and id_field else None
        error = MalformedRecord(stream, reason, record_id=record_id, request_id=request_id)
        self.stats.malformed(stream)
        log.warning("%s", error)
        return error

    def _delete(self, endpoint: Endpoint, object_id: str, expected_type: str) -> DeleteResult:
        response = self._transport.delete(endpoint, object_id)
        if response is None:
            return DeleteResult(id=object_id, type=None, already_gone=True)
        kind = response.body.get("type")
        answered_id = response.body.get("id")
        if (kind is not None and kind != expected_type) or answered_id not in (None, object_id):
            detail = f"confirmation is not {expected_type} of the requested id"
            info = ErrorInfo(message=detail, request_id=response.request_id)
            raise MalformedResponseError(endpoint.label, info)
        return DeleteResult(id=object_id, type=kind, request_id=response.request_id)


def _optional_timestamp(value: datetime | None) -> str | None:
    return format_timestamp(value) if value is not None else None
