"""Deletions nothing announces: objects the lake knows that the API no longer lists.

Chats deleted through the API or by retention vanish from every list without
a feed event (a user's own delete keeps them listed with ``deleted_at``), and
the incremental walk never asks for them again. A full walk of chat and
project ids is cheap (1,000 chats or 100 projects a request); whatever the
lake holds that it does not return is tombstoned with cause ``not_listed``.

Only what is really missing counts: the chat walk's upper bound lies a day
past the sweep's start, so a chat updated while the walk runs is still in it;
a record the client could not parse counts as listed under its id; and when
an unreadable record has no id, any object may be that one, so that stream
is not swept this time. Staging lets a later extraction of the object
overrule a ``not_listed`` tombstone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from casb_pipeline.extraction.context import StreamContext
from casb_pipeline.extraction.malformed import malformed_ids, quarantine_malformed

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
# How far past the sweep's start the chat walk reaches (the filter needs an upper bound).
WALK_AHEAD = timedelta(days=1)
SWEPT = {"chat": "chats", "project": "projects"}


def sweep_deletions(ctx: StreamContext) -> dict[str, int]:
    listed = {
        "chat": {chat.id for chat in ctx.client.chats_updated(EPOCH, ctx.now + WALK_AHEAD)},
        "project": {project.id for project in ctx.client.projects()},
    }
    unreadable = {kind: malformed_ids(ctx, stream) for kind, stream in SWEPT.items()}
    quarantine_malformed(ctx)
    counts: dict[str, int] = {}
    for kind, stream in SWEPT.items():
        ids, nameless = unreadable[kind]
        gone = set() if nameless else _known(ctx, stream) - listed[kind] - ids
        for object_id in sorted(gone):
            ctx.tombstone(ctx.last_day, kind, object_id, ctx.now, "not_listed", None)
        counts |= {
            f"{stream}_listed": len(listed[kind] | ids),
            f"{stream}_gone": len(gone),
            f"{stream}_unreadable_without_id": nameless,
        }
    return counts


def _known(ctx: StreamContext, stream: str) -> set[str]:
    frame = ctx.lake.scan(stream)
    return set(frame.select("id").unique().collect()["id"]) if frame is not None else set()
