"""The routes of ``/v1/compliance``: template, scope, accepted parameters, handler."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from casb_pipeline.simulator import listing, render
from casb_pipeline.simulator.api_errors import ApiError, not_found
from casb_pipeline.simulator.chats import ArtifactVersion, ChatContent
from casb_pipeline.simulator.config import (
    SCOPE_ACTIVITIES,
    SCOPE_AUDIT,
    SCOPE_DELETE,
    SCOPE_ORG_DATA,
    SCOPE_USER_DATA,
)
from casb_pipeline.simulator.params import Param, Query, limit, time_range
from casb_pipeline.simulator.store import Store
from casb_pipeline.simulator.world import Project, ProjectItem

PREFIX = "/v1/compliance"
Json = dict[str, object]


@dataclass(frozen=True)
class Content:
    """A file download: streamed with the file headers."""

    data: bytes
    filename: str
    content_type: str


Result = Json | Content
Handler = Callable[[Store, tuple[str, ...], Query, int], Result]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    scopes: tuple[str, ...]  # any one of them grants access
    params: dict[str, Param]
    handler: Handler
    streamed: bool = False

    @property
    def label(self) -> str:
        return f"{self.method} {PREFIX}{self.template}"

    @property
    def deletes(self) -> bool:
        return self.method == "DELETE"


READ_USER = (SCOPE_USER_DATA, SCOPE_AUDIT)
READ_ORG = (SCOPE_ORG_DATA, SCOPE_AUDIT)
READ_ACTIVITIES = (SCOPE_ACTIVITIES, SCOPE_AUDIT)
DELETE = (SCOPE_DELETE,)
PAGE = {"page": Param("str")}


def _organizations(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    orgs = sorted(store.world.orgs, key=lambda org: (org.created, org.uuid))
    items = [((org.created, org.uuid), render.org_json(org)) for org in orgs]
    return listing.token_response(
        *listing.keyset_page(items, "orgs", query.text("page"), _size(query, 1000))
    )


def _size(query: Query, default: int) -> int:
    return query.integer("limit", default) or default


def _users(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    org = next((o for o in store.world.orgs if o.uuid == ids[0]), None)
    if org is None:
        raise not_found(
            f'The "{ids[0]}" organization does not exist or the requester is not '
            "authorized to access it."
        )
    members = []
    for index in store.world.org_members[org.index]:
        user = store.world.users[index]
        membership = next(m for m in user.memberships if m.org == org.index)
        members.append(((membership.joined, user.id), render.member_json(user, membership)))
    members.sort(key=lambda item: item[0])
    page = listing.keyset_page(members, f"users:{org.uuid}", query.text("page"), _size(query, 500))
    return listing.token_response(*page)


def _activities(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    return listing.list_activities(store, query, now)


def _chats(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    return listing.list_chats(store, query, now)


def _chat_or_404(store: Store, chat_id: str, now: int) -> int:
    index = store.find_chat(chat_id, now)
    if index is None:
        raise not_found(f"Chat conversation not found: '{chat_id}'")
    return index


def _messages(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    return listing.list_messages(store, _chat_or_404(store, ids[0], now), query, now)


def _delete_chat(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    store.delete_chat(_chat_or_404(store, ids[0], now))
    return {"id": ids[0], "type": "claude_chat_deleted"}


def _any_file(store: Store, file_id: str, now: int) -> tuple[Json, Content]:
    """Metadata and content of a chat upload or a project file."""
    found = store.chat_file(file_id, now)
    if found is not None:
        stored, chat = found
        data = store.file_payload(stored.id, stored.spec)
        meta = render.file_meta(store, stored, chat)
        return meta, Content(data, stored.spec.filename, stored.spec.mime_type)
    item = store.project_item("claude_file_", file_id, now)
    if item is not None:
        spec = item[0].spec
        data = store.file_payload(file_id, spec)
        return render.project_file_meta(store, item[0]), Content(
            data, spec.filename, spec.mime_type
        )
    raise not_found(f"File not found: {store.world.codec.uuid('file', file_id)}")


def _file(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    return _any_file(store, ids[0], now)[0]


def _file_content(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Content:
    return _any_file(store, ids[0], now)[1]


def _delete_file(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    _any_file(store, ids[0], now)
    store.delete_file(ids[0])
    return {"id": ids[0], "type": "claude_file_deleted"}


def _generated(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    found = store.generated_file(ids[0], now)
    if found is None:
        raise not_found(f"Generated file not found: '{ids[0]}'")
    return render.generated_meta(store, *found)


def _generated_content(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Content:
    found = store.generated_file(ids[0], now)
    if found is None:
        raise not_found(f"Generated file not found: '{ids[0]}'")
    stored = found[0]
    if stored.expired:
        raise not_found(f"Generated file content not found: '{ids[0]}'")
    return Content(
        store.file_payload(stored.id, stored.spec), stored.spec.filename, stored.spec.mime_type
    )


def _artifact_or_404(
    store: Store, version_id: str, now: int
) -> tuple[ArtifactVersion, ChatContent]:
    found = store.artifact(version_id, now)
    if found is None:
        raise not_found(f"Artifact version not found: '{version_id}'")
    return found


def _artifact(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    return render.artifact_meta(*_artifact_or_404(store, ids[0], now))


def _artifact_content(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    return render.artifact_content(_artifact_or_404(store, ids[0], now)[0])


_NO_PROJECT = "No project is found with the provided id."
_NO_DOCUMENT = "No project document found with the provided id."
_GONE = ", or it has already been deleted."


def _project_or_404(store: Store, project_id: str, now: int, message: str = _NO_PROJECT) -> Project:
    project = store.find_project(project_id, now)
    if project is None:
        raise not_found(message)
    return project


def _projects(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    orgs = listing.org_filter(store, query.list_of("organization_ids[]"))
    users = set(query.list_of("user_ids[]")) or None
    created, updated = query.bounds("created_at"), query.bounds("updated_at")
    items = []
    with store.lock:
        for project in store.world.projects:
            if not store.project_visible(project, now):
                continue
            if orgs is not None and project.org not in orgs:
                continue
            if users is not None and store.world.users[project.user].id not in users:
                continue
            if not (created.contains(project.created) and updated.contains(project.updated)):
                continue
            items.append(
                (
                    (project.created, project.id),
                    render.project_json(store, project, now, detail=False),
                )
            )
    items.sort(key=lambda item: item[0])
    return listing.token_response(
        *listing.keyset_page(items, "projects", query.text("page"), _size(query, 20))
    )


def _project(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    with store.lock:
        return render.project_json(store, _project_or_404(store, ids[0], now), now, detail=True)


def _delete_project(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    with store.lock:
        project = _project_or_404(store, ids[0], now, "No project found with provided id" + _GONE)
        if store.attached_chats(project, now):
            raise ApiError(
                409,
                "invalid_request_error",
                f'The "{project.id}" project cannot be deleted as it has chats attached to it. '
                "Delete or detach all chats, and try deleting the project again.",
            )
        store.delete_project(project)
    return {"id": ids[0], "type": "claude_project_deleted"}


def _attachments(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    with store.lock:
        project = _project_or_404(store, ids[0], now)
        items = [
            ((i.created, i.id), render.attachment_json(store, i))
            for i in store.project_items(project, now)
        ]
    items.sort(key=lambda item: item[0])
    page = listing.keyset_page(
        items, f"attachments:{project.id}", query.text("page"), _size(query, 20)
    )
    return listing.token_response(*page)


def _collaborators(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    with store.lock:
        project = _project_or_404(store, ids[0], now)
        grants = store.collaborators(project, now)
    items = [((g.granted, g.assignment), render.collaborator_json(g)) for g in grants]
    page = listing.keyset_page(
        items, f"collaborators:{project.id}", query.text("page"), _size(query, 20)
    )
    return listing.token_response(*page)


def _document_or_404(
    store: Store, document_id: str, now: int, message: str = _NO_DOCUMENT
) -> tuple[ProjectItem, Project]:
    found = store.project_item("claude_proj_doc_", document_id, now)
    if found is None:
        raise not_found(message)
    return found


def _document(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    return render.document_json(store, _document_or_404(store, ids[0], now)[0])


def _document_meta(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    return render.document_meta(store, *_document_or_404(store, ids[0], now))


def _delete_document(store: Store, ids: tuple[str, ...], query: Query, now: int) -> Json:
    item, _ = _document_or_404(store, ids[0], now, _NO_DOCUMENT.rstrip(".") + _GONE)
    store.delete_document(item)
    return {"id": ids[0], "type": "claude_project_document_deleted"}


def _route(
    method: str,
    template: str,
    scopes: tuple[str, ...],
    handler: Handler,
    params: dict[str, Param] | None = None,
    *,
    streamed: bool = False,
) -> Route:
    regex = re.escape(template).replace(r"\{id\}", "([^/]+)").replace(r"\{org_uuid\}", "([^/]+)")
    return Route(
        method,
        template,
        re.compile(f"^{re.escape(PREFIX)}{regex}$"),
        scopes,
        params or {},
        handler,
        streamed,
    )


_PROJECT_LIST = {
    "limit": limit(100),
    **PAGE,
    "organization_ids[]": Param("list"),
    "user_ids[]": Param("list"),
    **time_range("created_at"),
    **time_range("updated_at"),
}

ROUTES: tuple[Route, ...] = (
    _route("GET", "/organizations", READ_ORG, _organizations, {"limit": limit(1000), **PAGE}),
    _route(
        "GET", "/organizations/{org_uuid}/users", READ_USER, _users, {"limit": limit(1000), **PAGE}
    ),
    _route("GET", "/activities", READ_ACTIVITIES, _activities, listing.ACTIVITY_PARAMS),
    _route("GET", "/apps/chats", READ_USER, _chats, listing.CHAT_PARAMS),
    _route("GET", "/apps/chats/files/{id}", READ_USER, _file),
    _route("GET", "/apps/chats/files/{id}/content", READ_USER, _file_content, streamed=True),
    _route("DELETE", "/apps/chats/files/{id}", DELETE, _delete_file),
    _route("GET", "/apps/chats/generated-files/{id}", READ_USER, _generated),
    _route(
        "GET",
        "/apps/chats/generated-files/{id}/content",
        READ_USER,
        _generated_content,
        streamed=True,
    ),
    _route("GET", "/apps/chats/{id}/messages", READ_USER, _messages, listing.MESSAGE_PARAMS),
    _route("DELETE", "/apps/chats/{id}", DELETE, _delete_chat),
    _route("GET", "/apps/artifacts/{id}", READ_USER, _artifact),
    _route("GET", "/apps/artifacts/{id}/content", READ_USER, _artifact_content),
    _route("GET", "/apps/projects/documents/{id}", READ_USER, _document),
    _route("GET", "/apps/projects/documents/{id}/metadata", READ_USER, _document_meta),
    _route("DELETE", "/apps/projects/documents/{id}", DELETE, _delete_document),
    _route("GET", "/apps/projects", READ_USER, _projects, _PROJECT_LIST),
    _route("GET", "/apps/projects/{id}", READ_USER, _project),
    _route("DELETE", "/apps/projects/{id}", DELETE, _delete_project),
    _route(
        "GET",
        "/apps/projects/{id}/attachments",
        READ_USER,
        _attachments,
        {"limit": limit(100), **PAGE},
    ),
    _route(
        "GET",
        "/apps/projects/{id}/collaborators",
        READ_USER,
        _collaborators,
        {"limit": limit(100), **PAGE},
    ),
)


def match(method: str, path: str) -> tuple[Route, tuple[str, ...]] | None:
    for route in ROUTES:
        if route.method != method:
            continue
        found = route.pattern.match(path)
        if found:
            return route, found.groups()
    return None
