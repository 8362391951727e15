"""Organizations and their users: point-in-time lists, snapshotted every run.

Listing organizations needs ``read:compliance_org_data``, which a key made for
content review may lack. Then the organizations snapshot is skipped (the
previous one stays) and users are listed for every organization the lake has
seen in chats, projects and activities, which ``read:compliance_user_data``
allows.
"""

from __future__ import annotations

import logging
from typing import Any

import polars as pl

from casb_pipeline.compliance import PermissionDeniedError, User, records_to_table
from casb_pipeline.extraction.context import StreamContext
from casb_pipeline.extraction.malformed import quarantine_malformed

log = logging.getLogger(__name__)

# Lake streams whose rows name the organization they belong to, by UUID.
_ORGANIZATION_COLUMNS = {
    "organizations": "uuid",
    "chats": "organization_uuid",
    "projects": "organization_uuid",
    "activities": "organization_uuid",
}


def extract_organizations(ctx: StreamContext) -> dict[str, Any]:
    try:
        organizations = list(ctx.client.organizations())
    except PermissionDeniedError as error:
        log.warning("organizations not listed: %s", error)
        return {"organizations": 0, "skipped": f"organizations not listed: {error.hint()}"}
    quarantine_malformed(ctx)
    _snapshot(ctx, "organizations", organizations)
    return {"organizations": len(organizations)}


def known_organizations(ctx: StreamContext) -> list[str]:
    """Organization UUIDs from the latest snapshot and from the content the lake holds."""
    found: set[str] = set()
    for stream, column in _ORGANIZATION_COLUMNS.items():
        frame = ctx.lake.scan(stream)
        if frame is not None:
            found |= set(frame.select(pl.col(column).drop_nulls().unique()).collect()[column])
    return sorted(found)


def extract_users(ctx: StreamContext) -> None:
    """Members of every organization; a user in several organizations appears once per org."""
    users: list[User] = []
    org_ids = known_organizations(ctx)
    for org_id, outcome in ctx.client.map_concurrent(lambda o: list(ctx.client.users(o)), org_ids):
        if isinstance(outcome, Exception):
            ctx.quarantine_error(ctx.last_day, org_id, "users", outcome)
        else:
            users.extend(outcome)
    quarantine_malformed(ctx)
    _snapshot(ctx, "users", users)


def _snapshot(ctx: StreamContext, stream: str, rows: list) -> None:
    table = records_to_table(stream, rows, extracted_at=ctx.now, partition=ctx.now.isoformat())
    ctx.lake.write_snapshot(stream, ctx.now, table)
    ctx.rows_written[stream] += table.num_rows
