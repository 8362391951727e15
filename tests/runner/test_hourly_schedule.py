"""The hourly schedule catches up the days nobody materialised (the daemon was down),
besides yesterday and today, one run per contiguous range."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions
from assets.schedules import RANGE_END, RANGE_START
from casb_pipeline.config import Settings

FIRST_DAY = date(2026, 11, 1)
TICK = datetime(2026, 11, 10, 0, 5, tzinfo=UTC)
SCHEDULE = "hourly_recent_partitions"


@pytest.fixture
def defs(tmp_path: Path) -> dg.Definitions:
    settings = Settings.from_env({"CASB_DATA_DIR": str(tmp_path / "data")})
    return build_definitions(settings, start=FIRST_DAY)


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


def _materialise(instance: dg.DagsterInstance, defs: dg.Definitions, days: list[date]) -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        if graph.get(key).partitions_def is None:
            continue
        for day in days:
            instance.report_runless_asset_event(
                dg.AssetMaterialization(asset_key=key, partition=day.isoformat())
            )


def _requests(defs: dg.Definitions, instance: dg.DagsterInstance) -> list[dg.RunRequest]:
    context = dg.build_schedule_context(
        instance=instance,
        scheduled_execution_time=TICK,
        repository_def=defs.get_repository_def(),
    )
    result = defs.resolve_schedule_def(SCHEDULE).evaluate_tick(context)
    return list(result.run_requests or [])


def _ranges(requests: list[dg.RunRequest]) -> list[tuple[str, str]]:
    return [(r.tags[RANGE_START], r.tags[RANGE_END]) for r in requests]


def _days(first: int, last: int) -> list[date]:
    return [date(2026, 11, d) for d in range(first, last + 1)]


def test_missed_days_are_caught_up_with_the_recent_ones(
    defs: dg.Definitions, instance: dg.DagsterInstance
) -> None:
    # Materialised up to the 5th, and the 7th: the 6th, 8th and 9th were missed.
    _materialise(instance, defs, [*_days(1, 5), date(2026, 11, 7)])

    requests = _requests(defs, instance)

    assert _ranges(requests) == [("2026-11-06", "2026-11-06"), ("2026-11-08", "2026-11-10")]
    keys = [r.run_key for r in requests]
    assert len(set(keys)) == 2
    assert keys == [r.run_key for r in _requests(defs, instance)]  # stable for the tick


def test_with_nothing_missed_it_runs_yesterday_and_today(
    defs: dg.Definitions, instance: dg.DagsterInstance
) -> None:
    _materialise(instance, defs, _days(1, 10))
    assert _ranges(_requests(defs, instance)) == [("2026-11-09", "2026-11-10")]


def test_a_range_already_running_is_not_requested_again(
    defs: dg.Definitions, instance: dg.DagsterInstance
) -> None:
    _materialise(instance, defs, _days(1, 5))
    running = {RANGE_START: "2026-11-06", RANGE_END: "2026-11-10"}
    instance.add_run(
        dg.DagsterRun(job_name="pipeline", status=dg.DagsterRunStatus.STARTED, tags=running)
    )
    assert _requests(defs, instance) == []
