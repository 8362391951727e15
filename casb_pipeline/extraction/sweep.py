"""Deletions nothing announces: objects the lake knows that the API no longer lists.

Chats deleted through the API or by retention vanish from every list without
a feed event (a user's own delete keeps them listed with ``deleted_at``), and
the incremental walk never asks for them again. A full walk of chat and
project ids is cheap (1,000 chats or 100 projects a request); whatever the
lake holds that it does not return is tombstoned with cause ``not_listed``
(every sweep says so again; staging keeps the earliest).
"""

from __future__ import annotations

from datetime import UTC, datetime

from casb_pipeline.extraction.context import StreamContext
from casb_pipeline.extraction.malformed import quarantine_malformed

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def sweep_deletions(ctx: StreamContext) -> dict[str, int]:
    listed_chats = {chat.id for chat in ctx.client.chats_updated(EPOCH, ctx.now)}
    listed_projects = {project.id for project in ctx.client.projects()}
    quarantine_malformed(ctx)
    gone = {
        "chat": _known(ctx, "chats") - listed_chats,
        "project": _known(ctx, "projects") - listed_projects,
    }
    for object_type, ids in gone.items():
        for object_id in sorted(ids):
            ctx.tombstone(ctx.last_day, object_type, object_id, ctx.now, "not_listed", None)
    return {"chats_listed": len(listed_chats), "projects_listed": len(listed_projects)} | {
        f"{kind}s_gone": len(ids) for kind, ids in gone.items()
    }


def _known(ctx: StreamContext, stream: str) -> set[str]:
    frame = ctx.lake.scan(stream)
    return set(frame.select("id").unique().collect()["id"]) if frame is not None else set()
