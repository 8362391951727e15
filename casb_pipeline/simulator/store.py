"""Live state over the generated world: visibility at the current clock, deletions,
mutations between runs, and caches of built chats and file bytes.

A record is served only once its timestamp has passed (``updated_at`` for
chats and projects, ``created_at`` for the rest), so ``anchor = today``
behaves like a live organization filling up during the day.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar

from casb_pipeline.errors import CasbError
from casb_pipeline.simulator import documents
from casb_pipeline.simulator.activities import ActivityIndex, Kind
from casb_pipeline.simulator.chats import (
    ArtifactVersion,
    ChatContent,
    StoredFile,
    build_chat,
    owner_chat,
)
from casb_pipeline.simulator.config import SimulatorConfig
from casb_pipeline.simulator.ids import epoch, rng_for
from casb_pipeline.simulator.world import Collaborator, Project, ProjectItem, World

T = TypeVar("T")
ChatKey = tuple[int, str, int]  # (sort time, chat id, chat index)


class UnknownRecord(CasbError):
    """A mutation named a record the simulator does not serve."""


class _Lru:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]  # type: ignore[return-value]
        value = make()
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        return value

    def forget(self, predicate: Callable[[Hashable], bool]) -> None:
        with self.lock:
            for key in [k for k in self.items if predicate(k)]:
                del self.items[key]


class Store:
    """Everything the server reads and the mutations write, behind one lock."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.world = World(config)
        self.activities = ActivityIndex(self.world)
        self.lock = threading.RLock()
        self.hard_deleted_chats: set[int] = set()
        self.deleted_files: set[str] = set()
        self.appended: dict[int, list[tuple[int, str]]] = {}
        self._mutations = rng_for(config.seed, "mutations")
        self._chats = _Lru(256)
        self._bytes = _Lru(64)
        self._digests: dict[str, tuple[int, str]] = {}
        chats = self.world.chats
        # Sort keys carry the chat index last, so a scan never decodes ids.
        self.keys: list[ChatKey] = [
            (chats.created[i], self.world.chat_id(i), i) for i in range(len(chats))
        ]
        self.by_created: list[ChatKey] = sorted(self.keys)
        self.by_updated: list[ChatKey] = sorted(
            (chats.updated[i], k[1], i) for i, k in enumerate(self.keys)
        )
        self.user_chats: dict[int, list[ChatKey]] = {}
        self.project_chats: dict[int, list[int]] = {}
        for key in self.by_created:
            index = key[2]
            self.user_chats.setdefault(chats.user[index], []).append(key)
            if chats.project[index] >= 0:
                self.project_chats.setdefault(chats.project[index], []).append(index)

    @staticmethod
    def now() -> int:
        return int(time.time())

    # --- chats ----------------------------------------------------------------------

    def chat_visible(self, index: int, now: int) -> bool:
        return index not in self.hard_deleted_chats and self.world.chats.updated[index] <= now

    def user_deleted(self, index: int, now: int) -> bool:
        deleted = self.world.chats.deleted[index]
        return bool(deleted) and deleted <= now

    def chat_content(self, index: int) -> ChatContent:
        appended = tuple(self.appended.get(index, ()))
        return self._chats.get(
            (index, len(appended)), lambda: build_chat(self.world, index, appended)
        )

    def find_chat(self, chat_id: str, now: int) -> int | None:
        index = self.world.chat_index(chat_id)
        return index if index is not None and self.chat_visible(index, now) else None

    def _content_chat(self, prefix: str, item_id: str, now: int) -> int | None:
        """The chat holding a file/generated file/artifact, if its content is still served."""
        index = owner_chat(self.world, prefix, item_id)
        if index is None or not self.chat_visible(index, now) or self.user_deleted(index, now):
            return None
        return index

    def chat_file(self, file_id: str, now: int) -> tuple[StoredFile, ChatContent] | None:
        if file_id in self.deleted_files:
            return None
        index = self._content_chat("claude_file_", file_id, now)
        if index is None:
            return None
        chat = self.chat_content(index)
        stored = chat.files.get(file_id)
        return (stored, chat) if stored is not None and stored.created <= now else None

    def generated_file(self, file_id: str, now: int) -> tuple[StoredFile, ChatContent] | None:
        index = self._content_chat("claude_gen_file_", file_id, now)
        if index is None:
            return None
        chat = self.chat_content(index)
        stored = chat.generated.get(file_id)
        return (stored, chat) if stored is not None else None

    def artifact(self, version_id: str, now: int) -> tuple[ArtifactVersion, ChatContent] | None:
        index = self._content_chat("claude_artifact_version_", version_id, now)
        if index is None:
            return None
        chat = self.chat_content(index)
        version = chat.artifacts.get(version_id)
        return (version, chat) if version is not None else None

    def file_payload(self, file_id: str, spec: documents.FileSpec) -> bytes:
        return self._bytes.get(file_id, lambda: documents.build(spec))

    def digest(self, file_id: str, spec: documents.FileSpec) -> tuple[int, str]:
        """(size, md5 hex) of the stored bytes, remembered once computed."""
        known = self._digests.get(file_id)
        if known is None:
            data = self.file_payload(file_id, spec)
            known = (len(data), hashlib.md5(data, usedforsecurity=False).hexdigest())
            self._digests[file_id] = known
        return known

    # --- projects -------------------------------------------------------------------

    def project_visible(self, project: Project, now: int) -> bool:
        return not project.hard_deleted and project.updated <= now

    def find_project(self, project_id: str, now: int) -> Project | None:
        index = self.world.codec.decode("claude_proj_", project_id)
        if index is None or index >= len(self.world.projects):
            return None
        project = self.world.projects[index]
        return project if self.project_visible(project, now) else None

    def project_items(self, project: Project, now: int) -> list[ProjectItem]:
        """Attachments still served (none once the project was deleted by its user)."""
        if project.deleted_at is not None and project.deleted_at <= now:
            return []
        return [
            item
            for item in project.items
            if item.created <= now
            and not item.hard_deleted
            and item.id not in self.deleted_files
            and (item.deleted_at is None or item.deleted_at > now)
        ]

    def project_item(
        self, prefix: str, item_id: str, now: int
    ) -> tuple[ProjectItem, Project] | None:
        number = self.world.codec.decode(prefix, item_id)
        if number is None or (prefix == "claude_file_" and not number >> 62):
            return None
        index = (number & ((1 << 62) - 1)) >> 8
        if index >= len(self.world.projects):
            return None
        project = self.world.projects[index]
        if not self.project_visible(project, now):
            return None
        item = next((i for i in self.project_items(project, now) if i.id == item_id), None)
        return (item, project) if item is not None else None

    def collaborators(self, project: Project, now: int) -> list[Collaborator]:
        grants = [grant for grant in project.collaborators if grant.granted <= now]
        return sorted(grants, key=lambda grant: (grant.granted, grant.assignment))

    def attached_chats(self, project: Project, now: int) -> list[int]:
        chats = self.project_chats.get(project.index, [])
        return [i for i in chats if self.chat_visible(i, now)]

    # --- deletions through the API ----------------------------------------------------

    def delete_chat(self, index: int) -> None:
        with self.lock:
            self.hard_deleted_chats.add(index)
            self._chats.forget(lambda key: key[0] == index)  # type: ignore[index]

    def delete_file(self, file_id: str) -> None:
        with self.lock:
            self.deleted_files.add(file_id)

    def delete_project(self, project: Project) -> None:
        with self.lock:
            project.hard_deleted = True

    def delete_document(self, item: ProjectItem) -> None:
        with self.lock:
            item.hard_deleted = True

    # --- mutations between runs ---------------------------------------------------------

    def _moment(self, at: datetime | None) -> int:
        return self.now() if at is None else epoch(at)

    def _reindex_updated(self, index: int, new_updated: int) -> None:
        chats = self.world.chats
        old = (chats.updated[index], self.keys[index][1], index)
        position = bisect.bisect_left(self.by_updated, old)
        if position < len(self.by_updated) and self.by_updated[position] == old:
            del self.by_updated[position]
        chats.updated[index] = new_updated
        bisect.insort(self.by_updated, (new_updated, self.keys[index][1], index))

    def add_chats(self, count: int, at: datetime | None) -> list[str]:
        moment = self._moment(at)
        added = []
        with self.lock:
            for _ in range(count):
                span = self._mutations.randint(60, 1800)
                index = self.world.add_chat(self._mutations, moment - span, span)
                chats = self.world.chats
                key = (chats.created[index], self.world.chat_id(index), index)
                self.keys.append(key)
                bisect.insort(self.by_created, key)
                bisect.insort(self.by_updated, (chats.updated[index], key[1], index))
                bisect.insort(self.user_chats.setdefault(chats.user[index], []), key)
                if chats.project[index] >= 0:
                    self.project_chats.setdefault(chats.project[index], []).append(index)
                self.activities.add(chats.created[index], Kind.CHAT_CREATED, index)
                for ordinal, slot, upload in self.world.uploads(index):
                    self.activities.add(
                        upload, Kind.FILE_UPLOADED, index << 20 | ordinal << 8 | slot
                    )
                added.append(key[1])
        return added

    def _require_chat(self, chat_id: str) -> int:
        index = self.world.chat_index(chat_id)
        if index is None or index in self.hard_deleted_chats:
            raise UnknownRecord(f"no chat {chat_id!r} in the simulated organization")
        return index

    def _require_project(self, project_id: str) -> Project:
        index = self.world.codec.decode("claude_proj_", project_id)
        if index is None or index >= len(self.world.projects):
            raise UnknownRecord(f"no project {project_id!r} in the simulated organization")
        project = self.world.projects[index]
        if project.hard_deleted:
            raise UnknownRecord(f"project {project_id!r} was deleted through the API")
        return project

    def append_message(self, chat_id: str, text: str, at: datetime | None) -> str:
        moment = self._moment(at)
        with self.lock:
            index = self._require_chat(chat_id)
            if self.world.chats.deleted[index]:
                raise UnknownRecord(f"chat {chat_id!r} was deleted by its user")
            messages = self.appended.setdefault(index, [])
            messages.append((moment, text))
            self._reindex_updated(index, max(moment, self.world.chats.updated[index]))
            ordinal = 2 * self.world.chats.turns[index] + len(messages) - 1
            return self.world.codec.encode("claude_chat_msg_", index << 12 | ordinal)

    def user_delete_chat(self, chat_id: str, at: datetime | None) -> None:
        moment = self._moment(at)
        with self.lock:
            index = self._require_chat(chat_id)
            self.world.chats.deleted[index] = moment
            self._reindex_updated(index, max(moment, self.world.chats.updated[index]))
            self.activities.add(moment, Kind.CHAT_DELETED, index)

    def update_project(
        self, project_id: str, description: str | None, is_private: bool | None, at: datetime | None
    ) -> None:
        moment = self._moment(at)
        with self.lock:
            project = self._require_project(project_id)
            if description is not None:
                project.description = description
            if is_private is not None and is_private != project.is_private:
                project.is_private = is_private
                org_uuid = self.world.org_by_index(project.org).uuid
                grants = [g for g in project.collaborators if g.type != "organization"]
                if not is_private:
                    assignment = self.world.codec.uuid("grant", project.index, moment)
                    grants.append(
                        Collaborator("organization", org_uuid, "viewer", moment, assignment)
                    )
                project.collaborators = grants
                audience = [] if is_private else [{"type": "organization"}]
                self.activities.add(
                    moment, Kind.PROJECT_SHARED, project.index, {"audience": audience}
                )
            project.updated = max(project.updated, moment)

    def user_delete_project(self, project_id: str, at: datetime | None) -> None:
        moment = self._moment(at)
        with self.lock:
            project = self._require_project(project_id)
            project.deleted_at = moment
            project.updated = max(project.updated, moment)
            self.activities.add(moment, Kind.PROJECT_DELETED, project.index)
