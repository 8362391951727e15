"""Records the client could not parse become quarantine rows; the walk goes on."""

from __future__ import annotations

from casb_pipeline.extraction.context import StreamContext


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
