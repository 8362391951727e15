"""Organizations and their users: point-in-time lists, snapshotted every run."""

from __future__ import annotations

from casb_pipeline.compliance import Organization, User, records_to_table
from casb_pipeline.extraction.context import StreamContext
from casb_pipeline.extraction.malformed import quarantine_malformed


def extract_organizations(ctx: StreamContext) -> list[Organization]:
    organizations = list(ctx.client.organizations())
    quarantine_malformed(ctx)
    _snapshot(ctx, "organizations", organizations)
    return organizations


def extract_users(ctx: StreamContext) -> None:
    """Members of every organization; a user in several organizations appears once per org."""
    frame = ctx.lake.scan("organizations")
    org_ids = frame.select("uuid").collect()["uuid"].to_list() if frame is not None else []
    users: list[User] = []
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
