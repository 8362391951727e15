"""Paginated lists: ID cursors (chats, messages, activities) and page tokens (the rest).

Chat and message cursors and page tokens are base64 JSON blobs naming the
sort key of an item; activity cursors are activity ids (whose text encodes
the key). A cursor names a position, not an offset, so records added or
removed between pages never shift a walk.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import heapq
import json
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from casb_pipeline.simulator import render
from casb_pipeline.simulator.activity_types import KNOWN_ACTIVITY_TYPES
from casb_pipeline.simulator.api_errors import bad_cursor, bad_page, invalid
from casb_pipeline.simulator.chats import Message
from casb_pipeline.simulator.params import Param, Query, limit, time_range
from casb_pipeline.simulator.store import ChatKey, Store

T = TypeVar("T")
Json = dict[str, object]

CHAT_PARAMS: dict[str, Param] = {
    "user_ids[]": Param("list", maximum=10),
    "organization_ids[]": Param("list"),
    "project_ids[]": Param("list"),
    "order_by": Param("enum", choices=("created_at", "updated_at")),
    **time_range("created_at"),
    **time_range("updated_at"),
    "limit": limit(1000),
    "after_id": Param("str"),
    "before_id": Param("str"),
}
MESSAGE_PARAMS: dict[str, Param] = {
    "limit": limit(1000),
    "after_id": Param("str"),
    "before_id": Param("str"),
    "order": Param("enum", choices=("asc", "desc")),
    **time_range("created_at"),
    **time_range("updated_at"),
    "tool_use_input_max_chars": Param("int", minimum=-1),
    "tool_result_max_chars": Param("int", minimum=-1),
}
_TYPES = tuple(sorted(KNOWN_ACTIVITY_TYPES))
ACTIVITY_PARAMS: dict[str, Param] = {
    "limit": limit(5000),
    "after_id": Param("str"),
    "before_id": Param("str"),
    "order": Param("enum", choices=("desc", "asc")),
    "activity_types[]": Param("list", choices=_TYPES),
    "exclude_activity_types[]": Param("list", choices=_TYPES),
    "actor_ids[]": Param("list"),
    "user_ids[]": Param("list"),
    "organization_ids[]": Param("list"),
    **time_range("created_at"),
}


def _encode(blob: object) -> str:
    return base64.b64encode(json.dumps(blob, separators=(",", ":")).encode()).decode()


def _decode(raw: str) -> object:
    try:
        return json.loads(base64.b64decode(raw.encode(), validate=True))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


# --- page tokens (scheme B) -------------------------------------------------------------


def keyset_page(
    items: Sequence[tuple[tuple[object, ...], T]], scope: str, page: str | None, size: int
) -> tuple[list[T], bool, str | None]:
    """One page of ``items`` (sorted by key) after the key named by ``page``."""
    start = 0
    if page is not None:
        blob = _decode(page)
        if (
            not isinstance(blob, dict)
            or blob.get("s") != scope
            or not isinstance(blob.get("k"), list)
        ):
            raise bad_page()
        after = tuple(blob["k"])
        keys = [key for key, _ in items]
        try:
            start = bisect.bisect_right(keys, after)
        except TypeError:
            raise bad_page() from None
    chunk = items[start : start + size]
    has_more = start + size < len(items)
    token = _encode({"s": scope, "k": list(chunk[-1][0])}) if has_more and chunk else None
    return [item for _, item in chunk], has_more, token


def token_response(data: list[Json], has_more: bool, token: str | None) -> Json:
    return {"data": data, "has_more": has_more, "next_page": token}


# --- organizations filter ----------------------------------------------------------------


def org_filter(store: Store, values: list[str]) -> set[int] | None:
    """Org indexes named by UUID or ``org_…`` id; None when no filter was given."""
    if not values:
        return None
    wanted = set(values)
    return {org.index for org in store.world.orgs if org.uuid in wanted or org.legacy_id in wanted}


# --- chats ---------------------------------------------------------------------------------


def _chat_cursor(order_by: str, key: ChatKey) -> str:
    return _encode({"k": order_by, "t": key[0], "id": key[1]})


def _chat_position(raw: str, name: str, order_by: str) -> tuple[int, str]:
    blob = _decode(raw)
    if (
        not isinstance(blob, dict)
        or blob.get("k") != order_by
        or not isinstance(blob.get("t"), int)
        or not isinstance(blob.get("id"), str)
    ):
        raise bad_cursor(name)
    return (blob["t"], blob["id"])


def _check_chat_query(query: Query, users: list[str], order_by: str) -> None:
    if query.has("after_id") and query.has("before_id"):
        raise invalid("Only one of 'after_id' and 'before_id' may be given.")
    if users:
        if order_by == "updated_at":
            raise invalid(
                "order_by: 'updated_at' is only supported for organization-wide queries "
                "(without user_ids[])"
            )
        if query.any_of("updated_at"):
            raise invalid(
                "updated_at filters are not supported together with user_ids[]; "
                "use created_at filters or an organization-wide query"
            )
        return
    if query.has("project_ids[]"):
        raise invalid("project_ids[] is only supported together with user_ids[]")
    if query.has("before_id"):
        raise invalid("before_id is only supported together with user_ids[]")
    other = "updated_at" if order_by == "created_at" else "created_at"
    if query.any_of(other):
        raise invalid(f"{other} filters require order_by={other} for organization-wide queries")


def list_chats(store: Store, query: Query, now: int) -> Json:
    users = query.list_of("user_ids[]")
    order_by = query.text("order_by", "created_at") or "created_at"
    _check_chat_query(query, users, order_by)
    world = store.world
    if users:
        lists = [
            store.user_chats.get(world.user_by_id[u].index, [])
            for u in users
            if u in world.user_by_id
        ]
        keys: Sequence[ChatKey] = list(heapq.merge(*lists))
    else:
        keys = store.by_updated if order_by == "updated_at" else store.by_created
    bounds = query.bounds(order_by)
    orgs = org_filter(store, query.list_of("organization_ids[]"))
    projects = set(query.list_of("project_ids[]")) or None
    size = query.integer("limit", 100) or 100

    def matches(key: ChatKey) -> int | None:
        index = key[2]
        if not store.chat_visible(index, now) or not bounds.contains(key[0]):
            return None
        if orgs is not None and world.chats.org[index] not in orgs:
            return None
        if projects is not None:
            project = world.chats.project[index]
            if project < 0 or world.projects[project].id not in projects:
                return None
        return index

    with store.lock:
        if query.has("before_id"):
            end = bisect.bisect_left(
                keys, _chat_position(str(query.get("before_id")), "before_id", order_by)
            )
            found = _scan(range(end - 1, -1, -1), keys, matches, size + 1)
            has_more = len(found) > size
            found = list(reversed(found[:size]))
        else:
            start = 0
            if query.has("after_id"):
                cursor = _chat_position(str(query.get("after_id")), "after_id", order_by)
                start = bisect.bisect_right(keys, (*cursor, math.inf))
            lowest = bounds.lowest
            if lowest is not None:
                start = max(start, bisect.bisect_left(keys, (math.floor(lowest),)))
            found = _scan(
                range(start, len(keys)), keys, matches, size + 1, stop_after=bounds.highest
            )
            has_more = len(found) > size
            found = found[:size]
        data = [render.chat_json(store, index, now) for _, index in found]
    return {
        "data": data,
        "has_more": has_more,
        "first_id": _chat_cursor(order_by, found[0][0]) if found else None,
        "last_id": _chat_cursor(order_by, found[-1][0]) if found else None,
    }


def _scan(
    positions: Iterable[int],
    keys: Sequence[ChatKey],
    matches: Callable[[ChatKey], int | None],
    wanted: int,
    stop_after: float | None = None,
) -> list[tuple[ChatKey, int]]:
    found = []
    for position in positions:
        key = keys[position]
        if stop_after is not None and key[0] > stop_after:
            break
        index = matches(key)
        if index is not None:
            found.append((key, index))
            if len(found) >= wanted:
                break
    return found


# --- chat messages -----------------------------------------------------------------------


def _cap(query: Query, name: str) -> int:
    value = query.integer(name, render.DEFAULT_TOOL_CHARS)
    if value == 0:
        raise invalid(f"{name}: Input should be -1 (no cap) or a positive integer")
    return value or render.DEFAULT_TOOL_CHARS


def list_messages(store: Store, index: int, query: Query, now: int) -> Json:
    if query.has("after_id") and query.has("before_id"):
        raise invalid("Only one of 'after_id' and 'before_id' may be given.")
    input_cap, result_cap = (
        _cap(query, "tool_use_input_max_chars"),
        _cap(query, "tool_result_max_chars"),
    )
    chat = store.chat_content(index)
    deleted = store.user_deleted(index, now)
    created, updated = query.bounds("created_at"), query.bounds("updated_at")
    messages = [
        m
        for m in chat.messages
        if m.created <= now and created.contains(m.created) and updated.contains(m.created)
    ]
    descending = query.text("order", "asc") == "desc"
    if descending:
        messages.reverse()
    for name, after in (("after_id", True), ("before_id", False)):
        raw = query.text(name)
        if raw is None:
            continue
        blob = _decode(raw)
        if (
            not isinstance(blob, dict)
            or blob.get("c") != chat.id
            or not isinstance(blob.get("n"), int)
        ):
            raise bad_cursor(name)
        cursor = (blob.get("t"), blob["n"])
        keyed = [(m.created, m.ordinal) for m in messages]
        ahead = [k > cursor if not descending else k < cursor for k in keyed]  # type: ignore[operator]
        messages = [m for m, later in zip(messages, ahead, strict=True) if later == after]
    size = query.integer("limit")
    has_more = False
    if size is not None:
        if query.has("before_id"):
            has_more = len(messages) > size
            messages = messages[-size:]
        else:
            has_more = len(messages) > size
            messages = messages[:size]

    def cursor_of(message: Message) -> str:
        return _encode(
            {
                "msg_uuid": store.world.codec.uuid("msg", message.id),
                "c": chat.id,
                "t": message.created,
                "n": message.ordinal,
            }
        )

    with store.lock:
        record = render.chat_json(store, index, now)
    record["chat_messages"] = [
        render.message_json(
            store, chat, m, deleted=deleted, input_cap=input_cap, result_cap=result_cap
        )
        for m in messages
    ]
    record["has_more"] = has_more
    record["first_id"] = cursor_of(messages[0]) if messages else None
    record["last_id"] = cursor_of(messages[-1]) if messages else None
    return record


# --- activities ------------------------------------------------------------------------------


def _activity_key(store: Store, raw: str) -> int:
    key = store.world.codec.activity_key(raw)
    if key is None:
        raise invalid(f"Invalid activity_id format: '{raw}'")
    return key


def list_activities(store: Store, query: Query, now: int) -> Json:
    if query.has("after_id") and query.has("before_id"):
        raise invalid("Only one of 'after_id' and 'before_id' may be given.")
    types = set(query.list_of("activity_types[]"))
    excluded = set(query.list_of("exclude_activity_types[]"))
    if types and excluded:
        raise invalid("activity_types[] and exclude_activity_types[] cannot be combined")
    actors = set()
    for name in ("actor_ids[]", "user_ids[]"):
        for number, value in enumerate(query.list_of(name)):
            if not value.startswith("user_"):
                raise invalid(f"{name}.{number}: Only user IDs (user_…) are supported")
            actors.add(value)
    orgs = org_filter(store, query.list_of("organization_ids[]"))
    bounds = query.bounds("created_at")
    ascending = query.text("order", "desc") == "asc"
    size = query.integer("limit", 100) or 100
    feed = store.activities
    world = store.world

    def matches(position: int) -> bool:
        key, kind, ref = feed.keys[position], feed.kinds[position], feed.refs[position]
        if not bounds.contains(key >> 32):
            return False
        kind_type = feed.type_of(kind, ref)
        if (types and kind_type not in types) or kind_type in excluded:
            return False
        if actors:
            user = feed.actor_user(kind, ref)
            if user is None or world.users[user].id not in actors:
                return False
        if orgs is not None:
            org = feed.org(kind, ref)
            if org is None or org not in orgs:
                return False
        return True

    with store.lock:
        keys = feed.keys
        lowest, highest = bounds.lowest, bounds.highest
        first = bisect.bisect_left(keys, math.floor(lowest) << 32) if lowest is not None else 0
        ceiling = now if highest is None else min(now, math.floor(highest))
        last = bisect.bisect_left(keys, (ceiling + 1) << 32)
        toward_newer = ascending
        if query.has("after_id") or query.has("before_id"):
            name = "after_id" if query.has("after_id") else "before_id"
            cursor = _activity_key(store, str(query.get(name)))
            toward_newer = ascending == (name == "after_id")
            if toward_newer:
                first = max(first, bisect.bisect_right(keys, cursor))
            else:
                last = min(last, bisect.bisect_left(keys, cursor))
        positions = range(first, last) if toward_newer else range(last - 1, first - 1, -1)
        found: list[int] = []
        for position in positions:
            if matches(position):
                found.append(position)
                if len(found) > size:
                    break
        has_more = len(found) > size
        found = found[:size]
        if toward_newer != ascending:
            found.reverse()
        data = [feed.render(position) for position in found]
    return {
        "data": data,
        "has_more": has_more,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
    }
