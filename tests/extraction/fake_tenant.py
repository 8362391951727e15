"""A small tenant on the scriptable loopback API, for what the simulator cannot produce:
records that do not parse, project documents edited in place, listed sizes over the
download cap. Extraction steps run against it through a real client and a real lake.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from casb_pipeline.compliance import ComplianceClient
from casb_pipeline.compliance.timestamps import format_timestamp, parse_timestamp
from casb_pipeline.extraction.context import StreamContext
from casb_pipeline.lake import BlobStore, Lake
from tests.compliance.fake_compliance_api import (
    KEY,
    FakeApi,
    Reply,
    Seen,
    pages_by_cursor,
    pages_by_token,
)

ORG = "3f6c1e2a-7b4d-4c8e-9a1f-5d2e8b7c6a90"
USER = {"id": "user_01", "email_address": "r.osei@example.com"}
PREFIX = "/v1/compliance"


def _md5(data: bytes) -> Any:
    return hashlib.md5(data, usedforsecurity=False)


def iso(moment: datetime) -> str:
    return format_timestamp(moment)


def _in_range(value: object, seen: Seen, column: str) -> bool:
    """Whether ``value`` passes the request's ``<column>.gte``/``.lt`` filters.

    A value that is not a timestamp is served whatever the filters say (it is the
    record the client must quarantine).
    """
    try:
        moment = parse_timestamp(str(value))
    except ValueError:
        return True
    low = seen.query.get(f"{column}.gte", [None])[0]
    high = seen.query.get(f"{column}.lt", [None])[0]
    return (low is None or moment >= parse_timestamp(low)) and (
        high is None or moment < parse_timestamp(high)
    )


def _listed(object_id: str, updated_at: datetime, **extra: Any) -> dict[str, Any]:
    """A chat or project as the list endpoints show it."""
    stamp = iso(updated_at)
    return {
        "id": object_id,
        "name": f"name of {object_id}",
        "created_at": stamp,
        "updated_at": stamp,
        "deleted_at": None,
        "organization_uuid": ORG,
        "user": USER,
        **extra,
    }


@dataclass
class FakeTenant:
    """API objects by kind; tests edit them between extraction steps."""

    api: FakeApi
    data_dir: Path
    chats: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    attachments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    activities: list[dict[str, Any]] = field(default_factory=list)

    def serve(self) -> None:
        route = self.api.route
        route("GET", f"{PREFIX}/apps/chats", self._chats)
        route("GET", f"{PREFIX}/apps/projects", self._projects)
        route("GET", f"{PREFIX}/apps/projects/documents/([^/]+)", self._document)
        route("GET", f"{PREFIX}/apps/projects/([^/]+)/attachments", self._attachments)
        route("GET", f"{PREFIX}/apps/projects/([^/]+)/collaborators", self._collaborators)
        route("GET", f"{PREFIX}/apps/projects/([^/]+)", self._project)
        route("GET", f"{PREFIX}/apps/chats/files/([^/]+)/content", self._file)
        route("GET", f"{PREFIX}/activities", self._activities)

    # --- building the tenant ---------------------------------------------------------

    def add_chat(self, chat_id: str, updated_at: datetime) -> None:
        self.chats.append(_listed(chat_id, updated_at, project_id=None))

    def add_project(self, project_id: str, updated_at: datetime) -> None:
        self.projects.append(_listed(project_id, updated_at, is_private=True))
        self.attachments.setdefault(project_id, [])

    def add_document(self, project_id: str, document_id: str, content: str) -> None:
        self.documents[document_id] = content
        self._attach(project_id, "project_doc", document_id, ".md", updated_at=None)

    def add_project_file(self, project_id: str, file_id: str, data: bytes) -> None:
        self.files[file_id] = data
        self._attach(
            project_id,
            "project_file",
            file_id,
            ".txt",
            size_bytes=len(data),
            md5=_md5(data).hexdigest(),
        )

    def _attach(self, project_id: str, kind: str, item_id: str, suffix: str, **extra: Any) -> None:
        self.attachments[project_id].append(
            {
                "type": kind,
                "id": item_id,
                "filename": item_id + suffix,
                "created_at": self.projects[0]["created_at"],
                "mime_type": "text/plain",
                **extra,
            }
        )

    def replace_file(self, file_id: str, data: bytes) -> None:
        """New bytes under the same id (the listing's md5 follows)."""
        self.files[file_id] = data
        for items in self.attachments.values():
            for item in items:
                if item["id"] == file_id:
                    item.update(size_bytes=len(data), md5=_md5(data).hexdigest())

    def add_activity(self, activity_id: str, kind: str, at: datetime, **fields: Any) -> None:
        actor = {"type": "user_actor", **{k: v for k, v in USER.items() if k == "id"}}
        self.activities.append(
            {"id": activity_id, "created_at": iso(at), "type": kind, "actor": actor, **fields}
        )

    # --- running extraction steps against it -----------------------------------------

    @contextmanager
    def context(self, days: list[date], now: datetime, writer: str) -> Iterator[StreamContext]:
        """A step's context over the tenant; its quarantine and tombstones are written
        when the block ends."""
        with ComplianceClient(
            self.api.base_url, KEY, rate_limit_rpm=0, backoff_base=0.001, max_retries=1
        ) as client:
            ctx = StreamContext(
                client,
                Lake(self.data_dir / "lake"),
                BlobStore(self.data_dir / "blobs"),
                days,
                now,
                writer,
            )
            yield ctx
            ctx.finish()

    def requests(self, pattern: str) -> int:
        return len(self.api.requests(PREFIX + pattern))

    # --- routes ----------------------------------------------------------------------

    def _chats(self, seen: Seen) -> Reply:
        listed = [c for c in self.chats if _in_range(c["updated_at"], seen, "updated_at")]
        return pages_by_cursor(sorted(listed, key=lambda c: str(c["updated_at"])), seen)

    def _projects(self, seen: Seen) -> Reply:
        listed = [p for p in self.projects if _in_range(p["updated_at"], seen, "updated_at")]
        return pages_by_token(listed, seen)

    def _project(self, seen: Seen) -> Reply:
        project_id = seen.path.rsplit("/", 1)[-1]
        for project in self.projects:
            if project["id"] == project_id:
                return Reply(json={**project, "description": "", "instructions": ""})
        return Reply(status=404, json={"error": {"type": "not_found_error", "message": "gone"}})

    def _attachments(self, seen: Seen) -> Reply:
        return pages_by_token(self.attachments[seen.path.split("/")[-2]], seen)

    def _collaborators(self, seen: Seen) -> Reply:
        return pages_by_token([], seen)

    def _document(self, seen: Seen) -> Reply:
        document_id = seen.path.rsplit("/", 1)[-1]
        body = {
            "id": document_id,
            "filename": f"{document_id}.md",
            "created_at": self.projects[0]["created_at"],
            "content": self.documents[document_id],
            "user": USER,
        }
        return Reply(json=body, headers={"request-id": f"req_doc_{document_id}"})

    def _file(self, seen: Seen) -> Reply:
        data = self.files[seen.path.split("/")[-2]]
        digest = base64.b64encode(_md5(data).digest()).decode()
        return Reply(
            body=data,
            headers={"content-type": "text/plain", "content-md5": digest, "request-id": "req_f"},
        )

    def _activities(self, seen: Seen) -> Reply:
        listed = [a for a in self.activities if _in_range(a["created_at"], seen, "created_at")]
        newest_first = sorted(listed, key=lambda a: a["created_at"], reverse=True)
        return pages_by_cursor(newest_first, seen)


@contextmanager
def fake_tenant(data_dir: Path) -> Iterator[FakeTenant]:
    with FakeApi() as api:
        tenant = FakeTenant(api, data_dir)
        tenant.serve()
        yield tenant
