"""Records the client could not parse become quarantine rows; the walk goes on."""

from __future__ import annotations

from casb_pipeline.extraction.context import StreamContext


def malformed_ids(ctx: StreamContext, stream: str) -> tuple[set[str], int]:
    """Ids of ``stream``'s records the client could not parse so far, and how many had none."""
    records = [r for r in ctx.client.malformed if r.stream == stream]
    return {r.record_id for r in records if r.record_id}, sum(not r.record_id for r in records)


def quarantine_malformed(ctx: StreamContext) -> None:
    """Move the client's malformed records into the quarantine (filed under the last day)."""
    while ctx.client.malformed:
        record = ctx.client.malformed.pop(0)
        ctx.quarantine(
            ctx.last_day,
            record.record_id or "(no id)",
            record.stream,
            f"malformed record: {record.reason}",
            record.request_id,
        )
