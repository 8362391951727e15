"""An incremental run costs what changed, not what exists.

Stated bound: re-running the current partition after N new chats costs
``6 + organizations`` fixed listing requests at this size (feed, chat walk,
project list, organization list, one user list per organization, and the
deletion sweep's full chat and project walks, one page each up to 1,000 chats
and 100 projects), plus exactly what the
new data needs (one message list per new chat, one download per new upload
or generated file, metadata + content per new artifact version), plus at
most 3 requests per project the window names (detail, attachments,
collaborators). Nothing already in the lake is requested again.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import polars as pl

from casb_pipeline.extraction.projects import projects_of_run
from casb_pipeline.lake import Lake
from tests.extraction.conftest import ANCHOR, Pipeline

MESSAGES = "GET /v1/compliance/apps/chats/{id}/messages"
LISTINGS = {
    "GET /v1/compliance/activities",
    "GET /v1/compliance/apps/chats",
    "GET /v1/compliance/apps/projects",
    "GET /v1/compliance/organizations",
    "GET /v1/compliance/organizations/{org_uuid}/users",
}
PROJECT_RELIST = {
    "GET /v1/compliance/apps/projects/{id}",
    "GET /v1/compliance/apps/projects/{id}/attachments",
    "GET /v1/compliance/apps/projects/{id}/collaborators",
}


def _needed_for(pipeline: Pipeline, chat_ids: list[str]) -> int:
    messages = pl.read_parquet(list(pipeline.data_dir.glob("lake/chat_messages/date=*/*.parquet")))
    messages = messages.filter(pl.col("chat_id").is_in(chat_ids))

    def distinct(column: str, key: str) -> int:
        return messages[column].explode().drop_nulls().struct.field(key).n_unique()

    return (
        len(chat_ids)
        + distinct("files", "id")
        + distinct("generated_files", "id")
        + 2 * distinct("artifacts", "version_id")
    )


def _projects_named(pipeline: Pipeline) -> int:
    return len(projects_of_run(Lake(pipeline.data_dir / "lake"), [ANCHOR]))


def test_unchanged_partition_costs_only_the_listings(pipeline: Pipeline) -> None:
    sim = pipeline.simulator
    assert pipeline.materialize(sim.first_day, ANCHOR).success
    sim.reset_counts()
    assert pipeline.materialize(ANCHOR, ANCHOR).success
    counts = sim.request_counts()
    relisted = sum(v for k, v in counts.items() if k in PROJECT_RELIST)
    assert set(counts) <= LISTINGS | PROJECT_RELIST, counts
    assert relisted <= 3 * _projects_named(pipeline)


def test_one_percent_new_chats_cost_only_what_they_need(pipeline: Pipeline) -> None:
    sim = pipeline.simulator
    assert pipeline.materialize(sim.first_day, ANCHOR).success
    new = sim.add_chats(
        max(2, len(sim.expected_ids("chats")) // 100), at=datetime.combine(ANCHOR, time(15), UTC)
    )
    sim.reset_counts()

    assert pipeline.materialize(ANCHOR, ANCHOR).success

    counts = sim.request_counts()
    listings = sum(v for k, v in counts.items() if k in LISTINGS)
    relisted = sum(v for k, v in counts.items() if k in PROJECT_RELIST)
    content = sum(counts.values()) - listings - relisted
    assert counts[MESSAGES] == len(new)
    assert listings == 6 + len(sim.expected_ids("organizations"))
    assert content == _needed_for(pipeline, new)
    assert relisted <= 3 * _projects_named(pipeline)
    staged = pipeline.ids("stg_chats")
    assert set(new) <= set(staged) and len(staged) == len(set(staged))
