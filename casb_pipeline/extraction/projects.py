"""Projects (``updated_at`` window, detail per change), their attachments and collaborators.

Attachments and collaborators are re-listed for every project of the run:
those updated in the window and those named by a project activity of the
window (sharing changes and file uploads may not bump ``updated_at``).

A project document edited in place keeps its id, and its listing has no md5
and a null ``updated_at``: the feed's ``claude_project_document_updated`` /
``_uploaded`` (and ``claude_project_file_uploaded`` for project files) name
what changed, and an object they name is downloaded again when the stored
copy was fetched before the event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from casb_pipeline.compliance import Download, NotFoundError, Project
from casb_pipeline.extraction.contents import ContentRef, fetch_contents
from casb_pipeline.extraction.context import StreamContext, group_by_day
from casb_pipeline.extraction.lake_rows import lake_rows, latest_by, to_stream_table, write_records
from casb_pipeline.extraction.ledgers import (
    PROJECT_LISTINGS,
    PROJECT_LISTINGS_SCHEMA,
    ListingRow,
    listings_table,
)
from casb_pipeline.extraction.malformed import quarantine_malformed
from casb_pipeline.extraction.windows import day_of, partition_window
from casb_pipeline.lake import Lake

PROJECTS_LOOKBACK = timedelta(hours=1)


def extract_projects(ctx: StreamContext) -> dict[str, int]:
    """Projects updated in the window, with description and instructions from the detail."""
    ctx.window = partition_window(ctx.days, PROJECTS_LOOKBACK, ctx.now)
    listed: dict[str, Project] = {}
    if not ctx.window.empty:
        for project in ctx.client.projects(ctx.window.start, ctx.window.end):
            seen = listed.get(project.id)
            if seen is None or (project.updated_at or ctx.now) >= (seen.updated_at or ctx.now):
                listed[project.id] = project
    day = {pid: day_of(p.updated_at, ctx.days) for pid, p in listed.items()}
    known = latest_by(
        lake_rows(ctx.lake, "projects", "id", list(listed)), "id", ["updated_at", "_extracted_at"]
    )
    reused: dict[date, list[Any]] = {}
    unchanged = set()
    for row in known.iter_rows(named=True):
        if row["updated_at"] == listed[row["id"]].updated_at:
            unchanged.add(row["id"])
    for (pid,), rows in known.filter(pl.col("id").is_in(list(unchanged))).group_by("id"):
        reused.setdefault(day[pid], []).append(to_stream_table(rows, "projects"))
    details = []
    changed = [pid for pid in listed if pid not in unchanged]
    for pid, outcome in ctx.client.map_concurrent(ctx.client.project, changed):
        if isinstance(outcome, NotFoundError):
            ctx.tombstone(day[pid], "project", pid, ctx.now, "not_found", outcome.request_id)
        elif isinstance(outcome, Exception):
            ctx.quarantine_error(day[pid], pid, "projects", outcome)
        else:
            details.append((day[pid], outcome))
    quarantine_malformed(ctx)
    write_records(ctx, "projects", details, reused)
    return {"projects": len(listed), "project_details_fetched": len(changed)}


PROJECT_ACTIVITY_PREFIX = "claude_project_"
FILE_ACTIVITY_TYPES = ("claude_file_uploaded", "claude_file_deleted")
# Events after which an attachment's bytes may differ under the same id, and the
# field naming it (reference Appendix B).
CONTENT_CHANGE_EVENTS = {
    "claude_project_document_updated": "claude_project_document_id",
    "claude_project_document_uploaded": "claude_project_document_id",
    "claude_project_file_uploaded": "claude_file_id",
}


def projects_of_run(lake: Lake, days: list[date]) -> dict[str, date]:
    """Project ids to re-list, each with the day it is filed under."""
    found: dict[str, date] = {}
    for day in days:
        projects = lake.scan_partition("projects", day)
        if projects is not None:
            for pid in projects.select("id").collect()["id"]:
                found.setdefault(pid, day)
        activities = lake.scan_partition("activities", day)
        if activities is not None:
            named = (
                activities.filter(
                    pl.col("claude_project_id").is_not_null()
                    & (
                        pl.col("type").str.starts_with(PROJECT_ACTIVITY_PREFIX)
                        | pl.col("type").is_in(FILE_ACTIVITY_TYPES)
                    )
                    & ~pl.col("type").str.ends_with("_viewed")
                )
                .select("claude_project_id")
                .collect()
            )
            for pid in named["claude_project_id"]:
                found.setdefault(pid, day)
    return found


def attachment_changes(lake: Lake, days: list[date]) -> dict[str, datetime]:
    """Attachment id -> the latest content change the run's activities report."""
    named = pl.lit(None, pl.String)
    for event, id_column in CONTENT_CHANGE_EVENTS.items():
        named = pl.when(pl.col("type") == event).then(pl.col(id_column)).otherwise(named)
    frames = [
        scan.select(named.alias("id"), "created_at").drop_nulls("id").collect()
        for day in days
        if (scan := lake.scan_partition("activities", day)) is not None
    ]
    if not frames:
        return {}
    latest = pl.concat(frames).group_by("id").agg(pl.col("created_at").max())
    return dict(latest.iter_rows())


def _relist(
    ctx: StreamContext, kind: str, stream: str, lister: Callable[[str], Iterator[Any]]
) -> list[tuple[date, Any]]:
    """List ``kind`` for each project of the run; record the listing time of each success."""
    projects = projects_of_run(ctx.lake, ctx.days)
    rows: list[tuple[date, Any]] = []
    listings: list[tuple[date, ListingRow]] = []
    for pid, outcome in ctx.client.map_concurrent(lambda p: list(lister(p)), list(projects)):
        day = projects[pid]
        if isinstance(outcome, NotFoundError):
            ctx.tombstone(day, "project", pid, ctx.now, "not_found", outcome.request_id)
        elif isinstance(outcome, Exception):
            ctx.quarantine_error(day, pid, stream, outcome)
        else:
            rows.extend((day, item) for item in outcome)
            listings.append((day, ListingRow(pid, kind, ctx.now)))
    quarantine_malformed(ctx)
    write_records(ctx, stream, rows)
    tables = {day: listings_table(r) for day, r in group_by_day(listings).items()}
    ctx.write_days(PROJECT_LISTINGS, tables, PROJECT_LISTINGS_SCHEMA, writer=ctx.writer)
    return rows


def extract_project_collaborators(ctx: StreamContext) -> None:
    _relist(ctx, "collaborators", "project_collaborators", ctx.client.project_collaborators)


def extract_project_attachments(ctx: StreamContext, *, max_bytes: int) -> None:
    """Attachments of the run's projects, and the content of each file and document."""
    rows = _relist(ctx, "attachments", "project_attachments", ctx.client.project_attachments)
    changed = attachment_changes(ctx.lake, ctx.days)
    refs = [
        ContentRef(
            "project_doc" if item.type == "project_doc" else "project_file",
            item.id,
            day,
            expected_md5=item.md5,
            size_bytes=item.size_bytes,
            changed_at=changed.get(item.id),
        )
        for day, item in rows
    ]

    def download(ref: ContentRef, dest: Path) -> Download:
        fetch = (
            ctx.client.download_project_document
            if ref.object_type == "project_doc"
            else ctx.client.download_file
        )
        return fetch(ref.object_id, dest, max_bytes=max_bytes, expected_md5=ref.expected_md5)

    fetch_contents(ctx, refs, download, max_bytes=max_bytes)
