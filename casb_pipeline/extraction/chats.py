"""Chats (org-wide walk by ``updated_at``) and their messages (re-fetched whole per change)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import polars as pl
import pyarrow as pa

from casb_pipeline.compliance import Chat, NotFoundError
from casb_pipeline.extraction.context import StreamContext
from casb_pipeline.extraction.lake_rows import (
    lake_rows,
    latest_by,
    to_stream_table,
    write_records,
)
from casb_pipeline.extraction.malformed import quarantine_malformed
from casb_pipeline.extraction.windows import day_of, partition_window

CHATS_LOOKBACK = timedelta(hours=1)


def extract_chats(ctx: StreamContext) -> None:
    """Every chat whose ``updated_at`` falls in the window, filed by that day."""
    ctx.window = partition_window(ctx.days, CHATS_LOOKBACK, ctx.now)
    chats: dict[str, Chat] = {}
    if not ctx.window.empty:
        for chat in ctx.client.chats_updated(ctx.window.start, ctx.window.end):
            seen = chats.get(chat.id)
            if seen is None or chat.updated_at >= seen.updated_at:
                chats[chat.id] = chat
    quarantine_malformed(ctx)
    write_records(ctx, "chats", ((day_of(c.updated_at, ctx.days), c) for c in chats.values()))


def extract_messages(ctx: StreamContext) -> dict[str, int]:
    """Messages of the run's chats: fetched when the lake lacks that ``updated_at``.

    A partition's file always holds the messages of all its chats: those not
    re-fetched are copied from the lake as they are, so re-running a partition
    replaces it whole without a request for what did not change.
    """
    chats = _chats_of_run(ctx)
    known = lake_rows(ctx.lake, "chat_messages", "chat_id", chats["id"].to_list())
    stored = known.group_by("chat_id").agg(pl.col("chat_updated_at").max())
    stored_at = dict(zip(stored["chat_id"], stored["chat_updated_at"], strict=True))
    day_of_chat = dict(zip(chats["id"], chats["_day"], strict=True))

    unchanged = [
        cid
        for cid, updated in zip(chats["id"], chats["updated_at"], strict=True)
        if stored_at.get(cid) is not None and stored_at[cid] >= updated
    ]
    reused: dict[date, list[pa.Table]] = defaultdict(list)
    if unchanged:
        current = known.filter(pl.col("chat_id").is_in(unchanged)).join(
            stored, on=["chat_id", "chat_updated_at"], how="semi"
        )
        current = latest_by(current, "id", ["_extracted_at"])
        for (cid,), rows in current.group_by("chat_id"):
            reused[day_of_chat[cid]].append(to_stream_table(rows, "chat_messages"))

    to_fetch = [cid for cid in chats["id"] if cid not in set(unchanged)]
    fetched = []
    for chat_id, outcome in ctx.client.map_concurrent(ctx.client.chat_messages, to_fetch):
        day = day_of_chat[chat_id]
        if isinstance(outcome, NotFoundError):
            ctx.tombstone(day, "chat", chat_id, ctx.now, "not_found", outcome.request_id)
        elif isinstance(outcome, Exception):
            ctx.quarantine_error(day, chat_id, "chat_messages", outcome)
        else:
            fetched.extend((day, message) for message in outcome.messages)
    quarantine_malformed(ctx)
    write_records(ctx, "chat_messages", fetched, reused)
    return {
        "chats": len(day_of_chat),
        "chats_fetched": len(to_fetch),
        "chats_unchanged": len(unchanged),
    }


def _chats_of_run(ctx: StreamContext) -> pl.DataFrame:
    """The latest version of each chat in the run's chat partitions, with its day."""
    frames = []
    for day in ctx.days:
        scan = ctx.lake.scan_partition("chats", day)
        if scan is not None:
            frames.append(
                scan.select("id", "updated_at", "_extracted_at")
                .with_columns(pl.lit(day).alias("_day"))
                .collect()
            )
    if not frames:
        return pl.DataFrame(
            schema={
                "id": pl.String,
                "updated_at": pl.Datetime("us", "UTC"),
                "_extracted_at": pl.Datetime("us", "UTC"),
                "_day": pl.Date,
            }
        )
    return latest_by(pl.concat(frames), "id", ["updated_at", "_day"])
