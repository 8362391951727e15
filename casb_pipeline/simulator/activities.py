"""The activity feed: a compact sorted index and the JSON of each event.

An event is (key, kind, ref): ``key`` = seconds << 32 | tie-break (so the
sort order is created_at then id, and the id text encodes the key), ``kind``
a small code, ``ref`` the index or packed number of what it is about. The
JSON is rendered only when served.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable
from enum import IntEnum

from casb_pipeline.simulator.ids import iso, rng_for
from casb_pipeline.simulator.world import DAY, World

_TIE_MULTIPLIER = 0x9E3779B1
_USER_AGENTS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0",
    "Claude/1.0.3 (iPhone; iOS 18.1)",
)


class Kind(IntEnum):
    SIGNIN_STARTED = 0
    SIGNIN_SUCCEEDED = 1
    LOGGED_OUT = 2
    CHAT_CREATED = 3
    FILE_UPLOADED = 4
    PROJECT_CREATED = 5
    PROJECT_SHARED = 6
    DOCUMENT_UPLOADED = 7
    PROJECT_FILE_UPLOADED = 8
    DOCUMENT_DELETED = 9
    PROJECT_DELETED = 10
    CHAT_DELETED = 11
    GROUP_MEMBER_ADDED = 12
    ROLE_UPDATED = 13


TYPES = {
    Kind.SIGNIN_STARTED: "sso_login_initiated",
    Kind.LOGGED_OUT: "user_logged_out",
    Kind.CHAT_CREATED: "claude_chat_created",
    Kind.FILE_UPLOADED: "claude_file_uploaded",
    Kind.PROJECT_CREATED: "claude_project_created",
    Kind.PROJECT_SHARED: "claude_project_sharing_updated",
    Kind.DOCUMENT_UPLOADED: "claude_project_document_uploaded",
    Kind.PROJECT_FILE_UPLOADED: "claude_project_file_uploaded",
    Kind.DOCUMENT_DELETED: "claude_project_document_deleted",
    Kind.PROJECT_DELETED: "claude_project_deleted",
    Kind.CHAT_DELETED: "claude_chat_deleted",
    Kind.GROUP_MEMBER_ADDED: "group_member_added",
    Kind.ROLE_UPDATED: "claude_user_role_updated",
}


def uses_social_login(user: int) -> bool:
    return user % 5 == 4


class ActivityIndex:
    """Every event sorted by key; mutations insert in place."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.keys = array("Q")
        self.kinds = array("B")
        self.refs = array("Q")
        self.extra: dict[int, dict[str, object]] = {}
        self._seq = 0
        keys: list[int] = []
        kinds: list[int] = []
        refs: list[int] = []

        def emit(seconds: int, kind: Kind, ref: int) -> None:
            keys.append(self._key(seconds))
            kinds.append(kind)
            refs.append(ref)

        _generate(world, emit)
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self.keys.extend(keys[i] for i in order)
        self.kinds.extend(kinds[i] for i in order)
        self.refs.extend(refs[i] for i in order)

    def _key(self, seconds: int) -> int:
        tie = (self._seq * _TIE_MULTIPLIER) & 0xFFFFFFFF
        self._seq += 1
        return seconds << 32 | tie

    def add(
        self, seconds: int, kind: Kind, ref: int, extra: dict[str, object] | None = None
    ) -> int:
        key = self._key(seconds)
        position = bisect.bisect_left(self.keys, key)
        self.keys.insert(position, key)
        self.kinds.insert(position, kind)
        self.refs.insert(position, ref)
        if extra:
            self.extra[key] = extra
        return key

    def __len__(self) -> int:
        return len(self.keys)

    # --- what an event is about -----------------------------------------------------

    def subject(self, kind: int, ref: int) -> tuple[int | None, int | None]:
        """(index of the acting user, index of the organization) of an event; None where absent."""
        world = self.world
        if kind in (Kind.SIGNIN_STARTED, Kind.SIGNIN_SUCCEEDED, Kind.LOGGED_OUT):
            return (None if kind == Kind.SIGNIN_STARTED else ref), None
        if kind in (Kind.CHAT_CREATED, Kind.CHAT_DELETED, Kind.FILE_UPLOADED):
            chat = ref >> 20 if kind == Kind.FILE_UPLOADED else ref
            return world.chats.user[chat], world.chats.org[chat]
        if kind in (Kind.GROUP_MEMBER_ADDED, Kind.ROLE_UPDATED):
            actor = 0 if kind == Kind.ROLE_UPDATED else None  # the primary owner / the IdP
            return actor, world.users[ref].memberships[0].org
        project_level = (Kind.PROJECT_CREATED, Kind.PROJECT_SHARED, Kind.PROJECT_DELETED)
        project = world.projects[ref if kind in project_level else ref >> 8]
        return project.user, project.org

    def actor_user(self, kind: int, ref: int) -> int | None:
        return self.subject(kind, ref)[0]

    def org(self, kind: int, ref: int) -> int | None:
        return self.subject(kind, ref)[1]

    def type_of(self, kind: int, ref: int) -> str:
        if kind == Kind.SIGNIN_SUCCEEDED:
            return "social_login_succeeded" if uses_social_login(ref) else "sso_login_succeeded"
        return TYPES[Kind(kind)]

    def render(self, position: int) -> dict[str, object]:
        key, kind, ref = self.keys[position], self.kinds[position], self.refs[position]
        world = self.world
        org_index = self.org(kind, ref)
        org = world.org_by_index(org_index) if org_index is not None else None
        record: dict[str, object] = {
            "id": world.codec.activity_id(key),
            "created_at": iso(key >> 32),
            "organization_id": org.legacy_id if org else None,
            "organization_uuid": org.uuid if org else None,
            "actor": self._actor(kind, ref),
            "type": self.type_of(kind, ref),
        }
        record.update(self._fields(kind, ref))
        record.update(self.extra.get(key, {}))
        return record

    def _actor(self, kind: int, ref: int) -> dict[str, object]:
        world = self.world
        if kind == Kind.SIGNIN_STARTED:
            return {
                "type": "unauthenticated_user_actor",
                "unauthenticated_email_address": world.users[ref].email,
                **_network(ref),
            }
        if kind == Kind.GROUP_MEMBER_ADDED:
            return {
                "type": "scim_directory_sync_actor",
                "directory_id": world.codec.encode("directory_", 0),
                "workos_event_id": world.codec.encode("event_", ref),
                "idp_connection_type": "OktaSCIMV2",
            }
        user = self.actor_user(kind, ref)
        assert user is not None
        account = world.users[user]
        return {
            "type": "user_actor",
            "user_id": account.id,
            "email_address": account.email,
            **_network(user),
        }

    def _fields(self, kind: int, ref: int) -> dict[str, object]:
        world = self.world
        codec = world.codec
        if kind == Kind.SIGNIN_SUCCEEDED:
            if uses_social_login(ref):
                return {"provider": "google", "auth_method": "social", "mfa_method": None}
            return {"auth_method": "sso", "mfa_method": None}
        if kind in (Kind.CHAT_CREATED, Kind.CHAT_DELETED):
            project = world.chats.project[ref]
            return {
                "claude_chat_id": world.chat_id(ref),
                "claude_project_id": world.projects[project].id if project >= 0 else None,
            }
        if kind == Kind.FILE_UPLOADED:
            return {
                "claude_file_id": codec.encode("claude_file_", ref),
                "filename": None,
                "claude_chat_id": world.chat_id(ref >> 20),
                "claude_project_id": None,
            }
        if kind in (Kind.PROJECT_CREATED, Kind.PROJECT_DELETED):
            return {"claude_project_id": world.projects[ref].id}
        if kind == Kind.PROJECT_SHARED:
            return {
                "claude_project_id": world.projects[ref].id,
                "audience": [{"type": "organization"}],
            }
        if kind in (Kind.DOCUMENT_UPLOADED, Kind.DOCUMENT_DELETED):
            return {
                "claude_project_document_id": codec.encode("claude_proj_doc_", ref),
                "claude_project_id": world.projects[ref >> 8].id,
                "filename": None,
            }
        if kind == Kind.PROJECT_FILE_UPLOADED:
            return {
                "claude_file_id": codec.encode("claude_file_", 1 << 62 | ref),
                "claude_project_id": world.projects[ref >> 8].id,
                "filename": None,
            }
        if kind == Kind.GROUP_MEMBER_ADDED:
            return {
                "group_id": world.groups[ref % len(world.groups)],
                "member_ids": [world.users[ref].id],
            }
        if kind == Kind.ROLE_UPDATED:
            account = world.users[ref]
            return {
                "previous_role": "user",
                "current_role": account.memberships[0].role,
                "user_id": account.id,
                "user_email": account.email,
            }
        return {}


def _network(user: int) -> dict[str, str]:
    return {
        "ip_address": f"198.51.100.{user % 250 + 1}" if user % 3 else f"203.0.113.{user % 250 + 1}",
        "user_agent": _USER_AGENTS[user % len(_USER_AGENTS)],
    }


def _generate(world: World, emit: Callable[[int, Kind, int], None]) -> None:
    rng = rng_for(world.seed, "activities")
    days = (world.end + 1 - world.start) // DAY
    for user in world.users:
        for day in range(days):
            if rng.random() > 0.55:
                continue
            moment = world.start + day * DAY + rng.randint(6 * 3600, 10 * 3600)
            if not uses_social_login(user.index):
                emit(moment - rng.randint(3, 20), Kind.SIGNIN_STARTED, user.index)
            emit(moment, Kind.SIGNIN_SUCCEEDED, user.index)
            if rng.random() < 0.3:
                emit(moment + rng.randint(6 * 3600, 10 * 3600), Kind.LOGGED_OUT, user.index)
        if user.index % 9 == 5:
            emit(world.start + rng.randrange(days * DAY), Kind.GROUP_MEMBER_ADDED, user.index)
        if user.memberships[0].role in ("admin", "developer") and user.index % 2:
            emit(world.start + rng.randrange(days * DAY), Kind.ROLE_UPDATED, user.index)
    for project in world.projects:
        emit(project.created, Kind.PROJECT_CREATED, project.index)
        if not project.is_private:
            emit(project.created + 60, Kind.PROJECT_SHARED, project.index)
        for slot, item in enumerate(project.items):
            kind = (
                Kind.DOCUMENT_UPLOADED if item.kind == "project_doc" else Kind.PROJECT_FILE_UPLOADED
            )
            emit(item.created, kind, project.index << 8 | slot)
            if item.deleted_at is not None:
                emit(item.deleted_at, Kind.DOCUMENT_DELETED, project.index << 8 | slot)
        if project.deleted_at is not None:
            emit(project.deleted_at, Kind.PROJECT_DELETED, project.index)
    for index in range(len(world.chats)):
        emit(world.chats.created[index], Kind.CHAT_CREATED, index)
        for ordinal, slot, moment in world.uploads(index):
            emit(moment, Kind.FILE_UPLOADED, index << 20 | ordinal << 8 | slot)
        if world.chats.deleted[index]:
            emit(world.chats.deleted[index], Kind.CHAT_DELETED, index)
