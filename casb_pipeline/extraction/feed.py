"""The activity feed (``created_at`` window), and the deletions it reports."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import unquote, urlsplit

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


# Deletes made through the Compliance API itself show up only as logged calls.
_API_DELETE_PATHS = (
    (re.compile(r"/v1/compliance/apps/chats/files/([^/?#]+)$"), "file"),
    (re.compile(r"/v1/compliance/apps/chats/([^/?#]+)$"), "chat"),
    (re.compile(r"/v1/compliance/apps/projects/documents/([^/?#]+)$"), "project_document"),
    (re.compile(r"/v1/compliance/apps/projects/([^/?#]+)$"), "project"),
)


def deleted_object(activity: Activity) -> tuple[str, str] | None:
    """``(object_type, id)`` a deletion event or a successful API ``DELETE`` call names."""
    deletion = DELETION_EVENTS.get(activity.type or "")
    if deletion:
        object_id = getattr(activity, deletion[1])
        return (deletion[0], object_id) if object_id else None
    if activity.type != "compliance_api_accessed":
        return None
    call = json.loads(activity._raw)
    status = call.get("status_code")
    if call.get("request_method") != "DELETE" or not isinstance(status, int) or status >= 300:
        return None
    path = urlsplit(str(call.get("url") or "")).path
    for pattern, object_type in _API_DELETE_PATHS:
        if match := pattern.search(path):
            return object_type, unquote(match.group(1))
    return None


def extract_activities(ctx: StreamContext) -> dict[str, int]:
    """Events of the window (de-duplicated by id), and tombstones for deletions among them."""
    ctx.window = partition_window(ctx.days, ACTIVITIES_LOOKBACK, ctx.now)
    events: dict[str, Activity] = {}
    if not ctx.window.empty:
        for activity in ctx.client.activities(ctx.window.start, ctx.window.end):
            events.setdefault(activity.id, activity)
    quarantine_malformed(ctx)
    for activity in events.values():
        if deleted := deleted_object(activity):
            object_type, object_id = deleted
            ctx.tombstone(
                day_of(activity.created_at, ctx.days),
                object_type,
                object_id,
                activity.created_at,
                "activity",
                activity.id,
            )
    write_records(ctx, "activities", ((day_of(a.created_at, ctx.days), a) for a in events.values()))
    return {"deletion_events": sum(len(v) for v in ctx.tombstones.values())}
