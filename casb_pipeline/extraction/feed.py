"""The activity feed (``created_at`` window), and the deletions it reports."""

from __future__ import annotations

from datetime import timedelta

from casb_pipeline.compliance import Activity
from casb_pipeline.extraction.context import StreamContext
from casb_pipeline.extraction.lake_rows import write_records
from casb_pipeline.extraction.malformed import quarantine_malformed
from casb_pipeline.extraction.windows import day_of, partition_window

ACTIVITIES_LOOKBACK = timedelta(minutes=10)

# Deletion events and the object each one names (reference Appendix B).
DELETION_EVENTS: dict[str, tuple[str, str]] = {
    "claude_chat_deleted": ("chat", "claude_chat_id"),
    "claude_file_deleted": ("file", "claude_file_id"),
    "claude_project_file_deleted": ("file", "claude_file_id"),
    "claude_project_deleted": ("project", "claude_project_id"),
    "claude_project_document_deleted": ("project_document", "claude_project_document_id"),
}


def extract_activities(ctx: StreamContext) -> dict[str, int]:
    """Events of the window (de-duplicated by id), and tombstones for deletions among them."""
    ctx.window = partition_window(ctx.days, ACTIVITIES_LOOKBACK, ctx.now)
    events: dict[str, Activity] = {}
    if not ctx.window.empty:
        for activity in ctx.client.activities(ctx.window.start, ctx.window.end):
            events.setdefault(activity.id, activity)
    quarantine_malformed(ctx)
    for activity in events.values():
        deletion = DELETION_EVENTS.get(activity.type or "")
        object_id = getattr(activity, deletion[1]) if deletion else None
        if deletion and object_id:
            ctx.tombstone(
                day_of(activity.created_at, ctx.days),
                deletion[0],
                object_id,
                activity.created_at,
                "activity",
                activity.id,
            )
    write_records(ctx, "activities", ((day_of(a.created_at, ctx.days), a) for a in events.values()))
    return {"deletion_events": sum(len(v) for v in ctx.tombstones.values())}
