"""The deletion sweep tombstones only what the API really stopped listing, and staging
lets a later sighting overrule a `not_listed`/`not_found` tombstone (never a feed event)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from casb_pipeline.compliance import Chat, Project, records_to_table
from casb_pipeline.compliance.parsing import parse_object
from casb_pipeline.extraction import chats, projects, sweep
from casb_pipeline.extraction.ledgers import PROJECT_LISTINGS, ListingRow, listings_table
from casb_pipeline.lake import QUARANTINE, TOMBSTONES, Lake, Tombstone, tombstone_table
from casb_pipeline.warehouse import build_warehouse, load_models
from casb_pipeline.warehouse.sources import lake_sources
from tests.extraction.fake_tenant import ORG, USER, FakeTenant, fake_tenant, iso

NOW = datetime.now(UTC).replace(microsecond=0)
DAYS = [NOW.date() - timedelta(days=1), NOW.date()]


def _extract(tenant: FakeTenant) -> None:
    with tenant.context(DAYS, NOW - timedelta(minutes=10), "chats") as ctx:
        chats.extract_chats(ctx)
    with tenant.context(DAYS, NOW - timedelta(minutes=10), "projects") as ctx:
        projects.extract_projects(ctx)


def _sweep(tenant: FakeTenant, started: datetime) -> dict:
    with tenant.context([NOW.date()], started, "deletion_sweep") as ctx:
        return sweep.sweep_deletions(ctx)


def _lake_rows(data_dir: Path, dataset: str) -> pl.DataFrame:
    frame = Lake(data_dir / "lake").scan(dataset)
    return frame.collect() if frame is not None else pl.DataFrame()


def _tombstoned(data_dir: Path) -> set[tuple[str, str]]:
    rows = _lake_rows(data_dir, TOMBSTONES)
    return {(r["object_type"], r["object_id"]) for r in rows.iter_rows(named=True)}


def test_live_chats_and_projects_are_never_swept_as_deleted(tmp_path: Path) -> None:
    with fake_tenant(tmp_path) as tenant:
        earlier = NOW - timedelta(minutes=30)
        for chat_id in ("claude_chat_a", "claude_chat_b", "claude_chat_c", "claude_chat_gone"):
            tenant.add_chat(chat_id, earlier)
        for project_id in ("claude_proj_1", "claude_proj_2", "claude_proj_gone"):
            tenant.add_project(project_id, earlier)
        _extract(tenant)

        sweep_started = NOW - timedelta(minutes=1)
        # While the sweep walks: chat c is updated (past the sweep's start), chat b and
        # project 2 come back in a shape the client cannot parse, and the `gone` ones are
        # deleted through the API.
        tenant.chats[2]["updated_at"] = iso(NOW - timedelta(seconds=5))
        tenant.chats[1]["updated_at"] = "not a timestamp"
        tenant.projects[1]["created_at"] = "not a timestamp"
        del tenant.chats[3], tenant.projects[2]
        counts = _sweep(tenant, sweep_started)

    assert _tombstoned(tmp_path) == {("chat", "claude_chat_gone"), ("project", "claude_proj_gone")}
    assert counts["chats_gone"] == counts["projects_gone"] == 1
    quarantined = _lake_rows(tmp_path, QUARANTINE).filter(
        pl.col("stream").is_in(["chats", "projects"])
    )
    assert sorted(quarantined["object_id"]) == ["claude_chat_b", "claude_proj_2"]


def test_an_unreadable_record_without_id_stops_that_stream_s_sweep(tmp_path: Path) -> None:
    with fake_tenant(tmp_path) as tenant:
        earlier = NOW - timedelta(minutes=30)
        tenant.add_chat("claude_chat_a", earlier)
        tenant.add_chat("claude_chat_gone", earlier)
        tenant.add_project("claude_proj_gone", earlier)
        _extract(tenant)
        tenant.chats[1].update(id=None, updated_at="not a timestamp")
        del tenant.projects[0]
        counts = _sweep(tenant, NOW)

    # The unreadable chat may be the one missing: no chat is tombstoned; projects still are.
    assert _tombstoned(tmp_path) == {("project", "claude_proj_gone")}
    assert counts["chats_gone"] == 0
    assert counts["chats_unreadable_without_id"] == 1


# --- staging --------------------------------------------------------------------------


def _chat(chat_id: str, updated: datetime) -> Chat:
    body = {"id": chat_id, "updated_at": iso(updated), "organization_uuid": ORG, "user": USER}
    return parse_object(Chat, body)


def _project(project_id: str, updated: datetime) -> Project:
    body = {"id": project_id, "updated_at": iso(updated), "organization_uuid": ORG}
    return parse_object(Project, body)


def _staged(data_dir: Path, sql: str) -> list[tuple]:
    lake = Lake(data_dir / "lake")
    target = data_dir / "warehouse.duckdb"
    build_warehouse(target, lake_sources(lake), load_models(layers=("staging",)))
    with duckdb.connect(str(target), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_later_sighting_overrules_sweep_and_404_tombstones_but_not_feed_events(
    tmp_path: Path,
) -> None:
    lake = Lake(tmp_path / "lake")
    day = date(2026, 11, 20)
    t1, t2, t3 = (datetime(2026, 11, 20, h, tzinfo=UTC) for h in (8, 9, 10))
    seen_early = [_chat("claude_chat_back", t1), _chat("claude_chat_gone", t1)]
    seen_late = [_chat("claude_chat_back", t3), _chat("claude_chat_deleted_by_user", t3)]
    lake.write_partition(
        "chats",
        day,
        records_to_table("chats", seen_early, extracted_at=t1, partition=day.isoformat()),
    )
    lake.write_partition(
        "chats",
        day,
        records_to_table("chats", seen_late, extracted_at=t3, partition=day.isoformat()),
        writer="later",
    )
    # Project `listed` kept its detail from t1 but its attachments were listed at t3.
    lake.write_partition(
        "projects",
        day,
        records_to_table(
            "projects",
            [_project("claude_proj_listed", t1), _project("claude_proj_gone", t1)],
            extracted_at=t1,
            partition=day.isoformat(),
        ),
    )
    lake.write_partition(
        PROJECT_LISTINGS,
        day,
        listings_table([ListingRow("claude_proj_listed", "attachments", t3)]),
        writer="project_attachments",
    )
    lake.write_partition(
        TOMBSTONES,
        day,
        tombstone_table(
            [
                Tombstone("chat", "claude_chat_back", t2, "not_listed", None),
                Tombstone("chat", "claude_chat_gone", t2, "not_listed", None),
                Tombstone("chat", "claude_chat_deleted_by_user", t2, "activity", "activity_1"),
                Tombstone("project", "claude_proj_listed", t2, "not_found", "req_1"),
                Tombstone("project", "claude_proj_gone", t2, "not_listed", None),
            ]
        ),
        writer="deletion_sweep",
    )

    chats_deleted = dict(_staged(tmp_path, "select id, is_deleted from stg_chats"))
    projects_deleted = dict(_staged(tmp_path, "select id, is_deleted from stg_projects"))
    standing = _staged(tmp_path, "select object_id, cause from stg_tombstones order by 1")

    assert chats_deleted == {
        "claude_chat_back": False,
        "claude_chat_gone": True,
        "claude_chat_deleted_by_user": True,
    }
    assert projects_deleted == {"claude_proj_listed": False, "claude_proj_gone": True}
    assert standing == [
        ("claude_chat_deleted_by_user", "activity"),
        ("claude_chat_gone", "not_listed"),
        ("claude_proj_gone", "not_listed"),
    ]
