"""Content downloads into the blob store, once per object id.

The metadata of uploads and generated files comes with the message lists, so
no metadata call is made for them; artifact versions need one (their md5 is
only there). An object whose bytes the blob store already holds is not
downloaded again: its ``contents`` row is copied into this partition, so each
partition's file lists every object its messages reference. The exception is
an object known to have changed under its id since it was fetched
(``ContentRef.changed_at``): it is downloaded again, and its new bytes get a
new blob and a newer ``contents`` row. An object listed larger than the
download cap is quarantined without a request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl

from casb_pipeline.compliance import Artifact, Download, NotFoundError
from casb_pipeline.extraction.context import StreamContext, group_by_day
from casb_pipeline.extraction.lake_rows import lake_rows, latest_by, to_stream_table, write_records
from casb_pipeline.extraction.ledgers import (
    CONTENTS,
    CONTENTS_SCHEMA,
    ContentRow,
    contents_table,
)
from casb_pipeline.extraction.malformed import quarantine_malformed

# How each content kind is named in the lake, the tombstones and the quarantine.
TOMBSTONE_TYPE = {
    "chat_file": "file",
    "generated_file": "generated_file",
    "artifact": "artifact",
    "project_file": "file",
    "project_doc": "project_document",
}


@dataclass(frozen=True)
class ContentRef:
    """An object whose bytes a partition needs.

    ``size_bytes``: the size its listing gives, if any. ``changed_at``: when the
    object last changed under its id, if known; a copy fetched before then is stale.
    """

    object_type: str
    object_id: str
    day: date
    expected_md5: str | None = None
    downloadable: bool = True
    size_bytes: int | None = None
    changed_at: datetime | None = None

    def is_current(self, row: ContentRow) -> bool:
        return self.changed_at is None or row.fetched_at >= self.changed_at


Downloader = Callable[[ContentRef, Path], Download]


def fetch_contents(
    ctx: StreamContext, refs: list[ContentRef], download: Downloader, *, max_bytes: int
) -> None:
    """Make sure every referenced object is in the blob store; write ``contents`` rows."""
    refs = list({(r.object_type, r.object_id): r for r in refs}.values())
    known = _known_contents(ctx, refs)
    rows: list[tuple[date, ContentRow]] = []
    missing: list[ContentRef] = []
    for ref in refs:
        row = known.get((ref.object_type, ref.object_id))
        if row is not None and ctx.blobs.has(row.sha256) and ref.is_current(row):
            rows.append((ref.day, row))
        elif not ref.downloadable:
            # Expired tool outputs and code-interpreter files: nothing to fetch, not an error.
            ctx.skipped["not_downloadable"] += 1
        elif ref.size_bytes is not None and ref.size_bytes > max_bytes:
            reason = (
                f"listed size {ref.size_bytes} bytes is over the download cap of {max_bytes} "
                "bytes (CASB_TEXTRACT_MAX_BYTES); not downloaded"
            )
            ctx.quarantine(ref.day, ref.object_id, ref.object_type, reason)
        else:
            missing.append(ref)

    def fetch(ref: ContentRef) -> Download:
        return download(ref, ctx.blobs.staging_path(ref.object_id))

    for ref, outcome in ctx.client.map_concurrent(fetch, missing):
        if isinstance(outcome, NotFoundError):
            ctx.quarantine_error(ref.day, ref.object_id, ref.object_type, outcome)
            ctx.tombstone(
                ref.day,
                TOMBSTONE_TYPE[ref.object_type],
                ref.object_id,
                ctx.now,
                "not_found",
                outcome.request_id,
            )
        elif isinstance(outcome, Exception):
            ctx.quarantine_error(ref.day, ref.object_id, ref.object_type, outcome)
        else:
            ctx.blobs.adopt(outcome.path, outcome.sha256)
            rows.append((ref.day, _content_row(ctx, ref, outcome)))
    quarantine_malformed(ctx)
    grouped = group_by_day(rows)
    tables = {day: contents_table(day_rows) for day, day_rows in grouped.items()}
    ctx.write_days(CONTENTS, tables, CONTENTS_SCHEMA, writer=ctx.writer)


def _content_row(ctx: StreamContext, ref: ContentRef, download: Download) -> ContentRow:
    return ContentRow(
        object_type=ref.object_type,
        object_id=ref.object_id,
        sha256=download.sha256,
        size_bytes=download.size,
        content_type=download.content_type,
        filename=download.filename,
        fetched_at=ctx.now,
        request_id=download.request_id,
    )


def _known_contents(
    ctx: StreamContext, refs: list[ContentRef]
) -> dict[tuple[str, str], ContentRow]:
    scan = ctx.lake.scan(CONTENTS)
    if scan is None or not refs:
        return {}
    ids = [r.object_id for r in refs]
    frame = scan.filter(pl.col("object_id").is_in(ids)).collect()
    frame = frame.sort("fetched_at", descending=True).unique(
        subset=["object_type", "object_id"], keep="first"
    )
    return {
        (row["object_type"], row["object_id"]): ContentRow(**row)
        for row in frame.select(CONTENTS_SCHEMA.names).iter_rows(named=True)
    }


def message_refs(ctx: StreamContext, list_column: str, key: str = "id") -> pl.DataFrame:
    """One attachment list of the run's messages, one row per ``key``, with its ``_day``."""
    frames = []
    for day in ctx.days:
        scan = ctx.lake.scan_partition("chat_messages", day)
        if scan is None:
            continue
        frames.append(
            scan.select(pl.col(list_column).explode().alias("ref"))
            .drop_nulls()
            .unnest("ref")
            .with_columns(pl.lit(day).alias("_day"))
            .collect()
        )
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames, how="diagonal_relaxed").unique(subset=[key], keep="first")


def extract_message_files(ctx: StreamContext, *, generated: bool, max_bytes: int) -> None:
    """Uploads (``files``) or tool outputs (``generated_files``) of the run's messages."""
    object_type = "generated_file" if generated else "chat_file"
    frame = message_refs(ctx, "generated_files" if generated else "files")
    refs = [
        ContentRef(
            object_type,
            row["id"],
            row["_day"],
            expected_md5=row.get("md5"),
            # A null mime type means nothing is downloadable (reference §4.5);
            # a generated file with null size has expired (§4.6).
            downloadable=row.get("mime_type") is not None
            and (not generated or row.get("size_bytes") is not None),
            size_bytes=row.get("size_bytes"),
        )
        for row in frame.iter_rows(named=True)
    ]
    fetcher = ctx.client.download_generated_file if generated else ctx.client.download_file

    def download(ref: ContentRef, dest: Path) -> Download:
        return fetcher(ref.object_id, dest, max_bytes=max_bytes, expected_md5=ref.expected_md5)

    fetch_contents(ctx, refs, download, max_bytes=max_bytes)


def extract_artifacts(ctx: StreamContext, *, max_bytes: int) -> None:
    """Artifact versions of the run's messages: metadata once, content once, verified."""
    frame = message_refs(ctx, "artifacts", key="version_id")
    version_ids = frame["version_id"].to_list() if not frame.is_empty() else []
    day_of = dict(zip(version_ids, frame["_day"], strict=True)) if version_ids else {}
    known = latest_by(
        lake_rows(ctx.lake, "artifacts", "version_id", version_ids), "version_id", ["_extracted_at"]
    )
    reused = {}
    for (version_id,), rows in known.group_by("version_id"):
        reused.setdefault(day_of[version_id], []).append(to_stream_table(rows, "artifacts"))
    metadata: dict[str, Artifact] = {}
    missing = [v for v in version_ids if v not in set(known["version_id"].to_list())]
    for version_id, outcome in ctx.client.map_concurrent(ctx.client.artifact_version, missing):
        if isinstance(outcome, NotFoundError):
            ctx.tombstone(
                day_of[version_id], "artifact", version_id, ctx.now, "not_found", outcome.request_id
            )
            ctx.quarantine_error(day_of[version_id], version_id, "artifact", outcome)
        elif isinstance(outcome, Exception):
            ctx.quarantine_error(day_of[version_id], version_id, "artifact", outcome)
        else:
            metadata[version_id] = outcome
    write_records(ctx, "artifacts", ((day_of[v], a) for v, a in metadata.items()), reused)
    listed = {
        row["version_id"]: (row["md5"], row["size_bytes"])
        for row in known.select("version_id", "md5", "size_bytes").iter_rows(named=True)
    }
    listed.update({v: (a.md5, a.size_bytes) for v, a in metadata.items()})
    refs = [
        ContentRef("artifact", v, day_of[v], expected_md5=listed[v][0], size_bytes=listed[v][1])
        for v in version_ids
        if v in listed
    ]

    def download(ref: ContentRef, dest: Path) -> Download:
        return ctx.client.download_artifact(
            ref.object_id, dest, max_bytes=max_bytes, expected_md5=ref.expected_md5
        )

    fetch_contents(ctx, refs, download, max_bytes=max_bytes)
