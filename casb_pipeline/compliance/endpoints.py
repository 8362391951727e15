"""The endpoints this client calls, by template (reference §4)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

PREFIX = "/v1/compliance"


@dataclass(frozen=True)
class Endpoint:
    """One method + path template; at most one ``{id}`` placeholder.

    ``listing``: a paginated list, where a bare ``Not found`` means bad
    credentials. ``max_limit``: the largest ``limit`` the endpoint takes.
    """

    method: str
    template: str
    listing: bool = False
    max_limit: int | None = None

    @property
    def label(self) -> str:
        """``METHOD /v1/compliance/<template>``: the name used in logs and stats."""
        return f"{self.method} {PREFIX}{self.template}"

    def path(self, object_id: str | None = None) -> str:
        """The request path; the id is percent-encoded so it stays one segment."""
        if "{id}" not in self.template:
            return PREFIX + self.template
        if not object_id:
            raise ValueError(f"{self.label} needs an id")
        return PREFIX + self.template.replace("{id}", quote(object_id, safe=""))


ORGANIZATIONS = Endpoint("GET", "/organizations", listing=True, max_limit=1000)
ORGANIZATION_USERS = Endpoint("GET", "/organizations/{id}/users", listing=True, max_limit=1000)
ACTIVITIES = Endpoint("GET", "/activities", listing=True, max_limit=5000)
CHATS = Endpoint("GET", "/apps/chats", listing=True, max_limit=1000)
CHAT_MESSAGES = Endpoint("GET", "/apps/chats/{id}/messages", max_limit=1000)
CHAT_DELETE = Endpoint("DELETE", "/apps/chats/{id}")
FILE = Endpoint("GET", "/apps/chats/files/{id}")
FILE_CONTENT = Endpoint("GET", "/apps/chats/files/{id}/content")
FILE_DELETE = Endpoint("DELETE", "/apps/chats/files/{id}")
GENERATED_FILE = Endpoint("GET", "/apps/chats/generated-files/{id}")
GENERATED_FILE_CONTENT = Endpoint("GET", "/apps/chats/generated-files/{id}/content")
ARTIFACT = Endpoint("GET", "/apps/artifacts/{id}")
ARTIFACT_CONTENT = Endpoint("GET", "/apps/artifacts/{id}/content")
PROJECTS = Endpoint("GET", "/apps/projects", listing=True, max_limit=100)
PROJECT = Endpoint("GET", "/apps/projects/{id}")
PROJECT_DELETE = Endpoint("DELETE", "/apps/projects/{id}")
PROJECT_ATTACHMENTS = Endpoint(
    "GET", "/apps/projects/{id}/attachments", listing=True, max_limit=100
)
PROJECT_COLLABORATORS = Endpoint(
    "GET", "/apps/projects/{id}/collaborators", listing=True, max_limit=100
)
DOCUMENT = Endpoint("GET", "/apps/projects/documents/{id}")
DOCUMENT_METADATA = Endpoint("GET", "/apps/projects/documents/{id}/metadata")
DOCUMENT_DELETE = Endpoint("DELETE", "/apps/projects/documents/{id}")
