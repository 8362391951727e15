"""Every hour: every daily partition not yet materialised (days missed while the daemon
was down) plus yesterday and today, and everything downstream: one run per contiguous
range of days, as `casb-pipeline run` plans them."""

from datetime import UTC, date, datetime

import dagster as dg

from assets.instance import materialized_days
from casb_pipeline.partition_plan import plan_ranges

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
_UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def range_tags(first: date, last: date) -> dict[str, str]:
    return {RANGE_START: first.isoformat(), RANGE_END: last.isoformat()}


def hourly_schedule(job: dg.JobDefinition) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="hourly_recent_partitions",
        cron_schedule="5 * * * *",
        job=job,
        execution_timezone="UTC",
        description="Catches up every day not yet materialised and re-reads yesterday and "
        "today (late rows, new chats), then rebuilds the reports; one run per range of days.",
    )
    def _schedule(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest]:
        tick = context.scheduled_execution_time or datetime.now(UTC)
        graph = context.repository_def.asset_graph
        daily = {
            key: partitions
            for key in graph.get_all_asset_keys()
            if isinstance(partitions := graph.get(key).partitions_def, dg.DailyPartitionsDefinition)
        }
        ranges = plan_ranges(
            first_day=min(partitions.start.date() for partitions in daily.values()),
            today=tick.astimezone(UTC).date(),
            start=None,
            end=None,
            materialized=materialized_days(context.instance, daily),
        )
        # The same tick always asks for the same runs; a range whose run has not
        # finished yet (a long catch-up) is not asked for a second time.
        return [
            dg.RunRequest(
                run_key=f"{tick.isoformat()} {first}..{last}", tags=range_tags(first, last)
            )
            for first, last in ranges
            if not _unfinished(context.instance, first, last)
        ]

    return _schedule


def _unfinished(instance: dg.DagsterInstance, first: date, last: date) -> bool:
    runs = instance.get_run_records(
        filters=dg.RunsFilter(tags=range_tags(first, last), statuses=_UNFINISHED), limit=1
    )
    return bool(runs)
