"""The objects a day's text step covers: its ``contents`` rows, named as DLP sources.

Every writer of the ``contents`` dataset (chat files, generated files, artifacts,
project attachments) contributes to a day. Each object becomes one source:
``(source_type, source_id)`` with the chat or project it belongs to, looked up in
the same day's lake rows first and in the whole lake for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl

from casb_pipeline.extraction.ledgers import CONTENTS
from casb_pipeline.lake import Lake

# contents.object_type -> source_type (ARCHITECTURE.md, "Warehouse").
SOURCE_TYPE_OF = {
    "chat_file": "chat_file",
    "generated_file": "generated_file",
    "artifact": "artifact",
    "project_file": "project_attachment",
    "project_doc": "project_attachment",
}

OBJECT_COLUMNS = {
    "source_type": pl.String,
    "source_id": pl.String,
    "chat_id": pl.String,
    "project_id": pl.String,
    "object_type": pl.String,
    "sha256": pl.String,
    "size_bytes": pl.Int64,
    "content_type": pl.String,
    "filename": pl.String,
}
_OWNER = ["source_type", "source_id", "chat_id", "project_id"]

Scanner = Callable[[str], pl.LazyFrame | None]


def day_objects(lake: Lake, day: date) -> pl.DataFrame:
    """One row per source of ``day``'s contents (latest fetch), with ``OBJECT_COLUMNS``."""
    contents = lake.scan_partition(CONTENTS, day)
    if contents is None:
        return pl.DataFrame(schema=OBJECT_COLUMNS)
    mapping = pl.DataFrame(
        {"object_type": list(SOURCE_TYPE_OF), "source_type": list(SOURCE_TYPE_OF.values())}
    )
    objects = (
        contents.join(mapping.lazy(), on="object_type", how="inner")
        .rename({"object_id": "source_id"})
        .sort("fetched_at", descending=True, nulls_last=True)
        .unique(subset=["source_type", "source_id"], keep="first", maintain_order=True)
        .collect()
    )
    owners = _owners(lambda dataset: lake.scan_partition(dataset, day), objects)
    missing = objects.join(owners, on=["source_type", "source_id"], how="anti")
    if not missing.is_empty():
        owners = pl.concat([owners, _owners(lake.scan, missing)])
    return (
        objects.join(owners, on=["source_type", "source_id"], how="left")
        .select(list(OBJECT_COLUMNS))
        .cast(OBJECT_COLUMNS)  # type: ignore[arg-type]
        .sort("source_type", "source_id")
    )


def _owners(scan: Scanner, wanted: pl.DataFrame) -> pl.DataFrame:
    """``(source_type, source_id, chat_id, project_id)`` of the ``wanted`` sources."""
    frames = [
        frame.filter(pl.col("source_id").is_in(ids))
        for source_type, frame in _owner_frames(scan)
        if (ids := _ids(wanted, source_type))
    ]
    empty = pl.DataFrame(schema={name: pl.String for name in _OWNER})
    if not frames:
        return empty
    found = pl.concat([empty.lazy(), *frames], how="diagonal_relaxed").collect()
    return found.unique(subset=["source_type", "source_id"], keep="first", maintain_order=True)


def _ids(frame: pl.DataFrame, source_type: str) -> list[str]:
    return frame.filter(pl.col("source_type") == source_type)["source_id"].to_list()


# Datasets whose rows name their object and its owner directly:
# (dataset, source_type, id column, owner column in the result, owner column in the dataset).
_DIRECT_OWNERS = (
    ("artifacts", "artifact", "version_id", "chat_id", "claude_chat_id"),
    ("project_attachments", "project_attachment", "id", "project_id", "project_id"),
)
# Attachment lists of messages: (source_type, list column).
_MESSAGE_LISTS = (("chat_file", "files"), ("generated_file", "generated_files"))


def _owner_frames(scan: Scanner) -> list[tuple[str, pl.LazyFrame]]:
    """Where each kind of object names its chat or project."""
    frames = []
    messages = scan("chat_messages")
    if messages is not None:
        for source_type, column in _MESSAGE_LISTS:
            refs = messages.select(
                "chat_id", pl.col(column).list.eval(pl.element().struct.field("id"))
            ).explode(column)
            frames.append((source_type, _owned(refs, source_type, column, "chat_id", "chat_id")))
    for dataset, source_type, id_column, owner, owner_column in _DIRECT_OWNERS:
        rows = scan(dataset)
        if rows is not None:
            frames.append((source_type, _owned(rows, source_type, id_column, owner, owner_column)))
    return frames


def _owned(
    rows: pl.LazyFrame, source_type: str, id_column: str, owner: str, owner_column: str
) -> pl.LazyFrame:
    return rows.drop_nulls(id_column).select(
        pl.lit(source_type).alias("source_type"),
        pl.col(id_column).alias("source_id"),
        pl.col(owner_column).alias(owner),
    )
